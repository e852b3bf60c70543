import { qualityReport, type QualityReport } from '../lib/analyses/quality.ts';
import type { Model } from './model.svelte.ts';
import type { Session } from './session.svelte.ts';

/** Data quality reports, one per mapped table, re-run when the mapping changes. */
export class QualityState {
  reports = $state.raw<QualityReport[]>([]);
  error = $state<string | null>(null);
  running = $state(false);
  #run = 0;

  constructor(
    private session: Session,
    private model: Model,
  ) {}

  async refresh() {
    const run = ++this.#run;
    this.error = null;
    const tables = this.model.mapping?.tables ?? [];
    if (!tables.length) {
      this.reports = [];
      return;
    }
    this.running = true;
    try {
      const engine = await this.session.engine;
      const asOf = new Date();
      const reports: QualityReport[] = [];
      for (const tm of tables) {
        reports.push(await qualityReport(engine, { raw: tm.source, canonical: tm.kind, asOf }));
        if (run !== this.#run) return;
      }
      this.reports = reports;
    } catch (error) {
      if (run === this.#run) this.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (run === this.#run) this.running = false;
    }
  }
}
