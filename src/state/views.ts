/**
 * The app's views and the one navigation that reaches them, in the order:
 * the data area (tables and mapping, data quality), the retention overview, the
 * notebook, the audit and the report; Privacy sits apart at the end of the bar.
 * Each view has a hash (#data, #quality, …) that links and tests rely on.
 */

/** A view of the app, named by its hash. */
export type View = 'data' | 'quality' | 'overview' | 'notebook' | 'audit' | 'report' | 'privacy';

/** Every view with a hash of its own. */
export const VIEWS: readonly View[] = [
  'data',
  'quality',
  'overview',
  'notebook',
  'audit',
  'report',
  'privacy',
];

/** A link of the main navigation; `group` puts links side by side as one area. */
export interface NavLink {
  view: View;
  label: string;
  group?: 'data';
  /** Whether the view needs a confirmed mapping to show anything. */
  needsMapping: boolean;
}

/** The main navigation, in order (Privacy is linked apart, see AppBar). */
export const NAV: readonly NavLink[] = [
  { view: 'data', label: 'Data', group: 'data', needsMapping: false },
  { view: 'quality', label: 'Data quality', group: 'data', needsMapping: true },
  { view: 'overview', label: 'Overview', needsMapping: true },
  { view: 'notebook', label: 'Notebook', needsMapping: true },
  { view: 'audit', label: 'Audit', needsMapping: true },
  { view: 'report', label: 'Report', needsMapping: false },
];

/** The view a location hash names: `#nb=…` share links open the notebook; unknown → data. */
export function viewFromHash(hash: string): View {
  if (hash.startsWith('#nb=')) return 'notebook';
  const v = hash.slice(1) as View;
  return VIEWS.includes(v) ? v : 'data';
}
