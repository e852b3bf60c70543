/**
 * The parameters of the cohort and RFM sections on the Overview page (in a
 * notebook the cells keep their own). Kept for as long as the page is open.
 */
export class OverviewSections {
  cohorts = $state<Record<string, unknown>>({ grain: 'month' });
  rfm = $state<Record<string, unknown>>({});
}
