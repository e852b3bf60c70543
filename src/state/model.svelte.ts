import { dataGaps, type DataAvailability, type Gap } from '../lib/analyses/gaps.ts';
import { sampleCurrency } from '../lib/samples.ts';
import type { CanonicalTable } from '../lib/schema/canonical.ts';
import { detectMapping, describeCancellation, type TableProfile } from '../lib/schema/detect.ts';
import {
  defaultTimeZone,
  emptyTableMapping,
  type Mapping,
  type TableMapping,
} from '../lib/schema/mapping.ts';
import { validateMapping, type MappingProblem } from '../lib/schema/validate.ts';
import { applyMapping, dropCanonical, exclusionCounts, loadMapping } from '../lib/schema/views.ts';
import type { Session } from './session.svelte.ts';

export type Counts = Awaited<ReturnType<typeof exclusionCounts>>;

/** Confirmed mappings remembered by the columns they read, to reuse for the same export next time. */
const LIBRARY_KEY = 'retain.mappingLibrary';

function signature(columns: string[]): string {
  return [...columns].sort().join('\u0000');
}

function readLibrary(): { signature: string; mapping: TableMapping }[] {
  try {
    return JSON.parse(localStorage.getItem(LIBRARY_KEY) ?? '[]');
  } catch {
    return [];
  }
}

function remember(columns: string[], mapping: TableMapping) {
  try {
    const sig = signature(columns);
    const library = readLibrary().filter((e) => e.signature !== sig);
    library.unshift({ signature: sig, mapping });
    localStorage.setItem(LIBRARY_KEY, JSON.stringify(library.slice(0, 30)));
  } catch {
    // Without storage the mapping is simply proposed again next time.
  }
}

/**
 * The retention data model as the user sees it: the confirmed mapping, and the
 * draft mapping of one raw table being reviewed, with its row counts and problems.
 */
export class Model {
  mapping = $state.raw<Mapping | null>(null);
  /** Bumped whenever the canonical views change, so analyses re-run. */
  version = $state(0);
  draft = $state<TableMapping | null>(null);
  profile = $state.raw<TableProfile | null>(null);
  notes = $state<string[]>([]);
  confidence = $state(0);
  counts = $state.raw<Counts | null>(null);
  countsError = $state<string | null>(null);
  problems = $state.raw<MappingProblem[]>([]);
  busy = $state(false);
  currency = $state('GBP');
  timeZone = $state(defaultTimeZone());

  constructor(private session: Session) {}

  /** Restore the saved mapping when the engine starts. */
  async restore() {
    const engine = await this.session.engine;
    const saved = await loadMapping(engine);
    if (saved) {
      this.mapping = saved;
      this.currency = saved.currency;
      this.timeZone = saved.timeZone;
      this.version++;
    }
  }

  /** The confirmed mapping of a raw table, if any. */
  mappingOf(table: string): TableMapping | undefined {
    return this.mapping?.tables.find((t) => t.source === table);
  }

  /** What the mapped data cannot support yet, and what would enable it. */
  get gaps(): Gap[] {
    const tables: DataAvailability['tables'] = {};
    for (const tm of this.mapping?.tables ?? []) {
      const roles = new Set<string>([
        ...((tables[tm.kind] as string[] | undefined) ?? []),
        ...Object.keys(tm.columns),
      ]);
      if (tm.kind === 'orders' && tm.amount === 'product') roles.add('amount');
      tables[tm.kind] = [...roles];
    }
    return dataGaps({ tables });
  }

  get mappedKinds(): CanonicalTable[] {
    return [...new Set(this.mapping?.tables.map((t) => t.kind) ?? [])];
  }

  /** Open a raw table for review: its saved mapping, or a fresh proposal. */
  async review(table: string, kind?: CanonicalTable) {
    this.busy = true;
    this.problems = [];
    try {
      const engine = await this.session.engine;
      const { profile, proposal } = await detectMapping(engine, table, kind);
      this.profile = profile;
      // The first table of a bundled sample brings its own currency (CDNOW and Telco are US data).
      const currency = this.mapping?.tables.length ? undefined : sampleCurrency(table);
      if (currency) this.currency = currency;
      const saved = this.mappingOf(table);
      if (saved && (!kind || saved.kind === kind)) {
        this.draft = structuredClone(saved);
        this.notes = [];
        this.confidence = 1;
      } else if (!kind && this.#fromLibrary(table, profile)) {
        this.notes = [
          'The same columns were mapped before: that mapping is reused. Check it and confirm.',
        ];
        this.confidence = 1;
      } else {
        this.draft = proposal?.mapping ?? emptyTableMapping(table, kind ?? 'orders');
        this.notes = proposal
          ? proposal.notes
          : [
              'Retain could not tell what this table holds. Choose what it is and which column plays each role.',
            ];
        this.confidence = proposal?.confidence ?? 0;
      }
      await this.recount();
    } finally {
      this.busy = false;
    }
  }

  /** A mapping confirmed earlier for a table with exactly these columns (e.g. last month's export). */
  #fromLibrary(table: string, profile: TableProfile): boolean {
    const sig = signature(profile.columns.map((c) => c.name));
    const known = readLibrary().find((e) => e.signature === sig);
    if (!known) return false;
    this.draft = { ...structuredClone(known.mapping), source: table };
    return true;
  }

  /** Switch the draft to another kind of table, re-detecting its columns. */
  async changeKind(kind: CanonicalTable) {
    if (this.draft) await this.review(this.draft.source, kind);
  }

  setColumn(role: string, column: string) {
    if (!this.draft) return;
    if (column) this.draft.columns[role] = column;
    else delete this.draft.columns[role];
    delete this.draft.parse[role];
    void this.recount();
  }

  /** Re-count the rows each rule keeps or leaves out (orders only). */
  async recount() {
    this.counts = null;
    this.countsError = null;
    const draft = this.draft ? $state.snapshot(this.draft) : null;
    if (!draft || draft.kind !== 'orders') return;
    if (!draft.columns.customer_id || !draft.columns.order_ts) return;
    try {
      this.counts = await exclusionCounts(
        await this.session.engine,
        draft as TableMapping,
        this.timeZone,
      );
    } catch (error) {
      this.countsError = error instanceof Error ? error.message : String(error);
    }
  }

  describeCancellation(): string | null {
    return this.draft?.cancellation ? describeCancellation(this.draft.cancellation) : null;
  }

  /**
   * Validate the draft with the rest of the mapping and, when nothing is fatal,
   * build the canonical views. Returns whether it was applied.
   */
  async confirm(): Promise<boolean> {
    if (!this.draft) return false;
    this.busy = true;
    try {
      const engine = await this.session.engine;
      const draft = $state.snapshot(this.draft) as TableMapping;
      const others = (this.mapping?.tables ?? []).filter((t) => t.source !== draft.source);
      const next: Mapping = {
        version: 1,
        tables: [...others, draft],
        currency: this.currency.trim().toUpperCase() || 'GBP',
        timeZone: this.timeZone,
      };
      this.problems = await validateMapping(engine, next);
      if (this.problems.some((p) => p.fatal)) return false;
      await applyMapping(engine, next);
      if (this.profile?.table === draft.source)
        remember(
          this.profile.columns.map((c) => c.name),
          draft,
        );
      this.mapping = next;
      this.draft = null;
      this.version++;
      return true;
    } finally {
      this.busy = false;
    }
  }

  cancel() {
    this.draft = null;
    this.problems = [];
  }

  /** Stop using a raw table in the model. */
  async unmap(table: string) {
    if (!this.mapping) return;
    const engine = await this.session.engine;
    const next: Mapping = {
      ...this.mapping,
      tables: this.mapping.tables.filter((t) => t.source !== table),
    };
    if (next.tables.length) await applyMapping(engine, next);
    else await dropCanonical(engine);
    this.mapping = next.tables.length ? next : null;
    this.version++;
  }

  /** Forget everything (after "Clear all data"). */
  reset() {
    this.mapping = null;
    this.draft = null;
    this.problems = [];
    this.version++;
  }
}
