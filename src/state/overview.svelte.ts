import {
  kpiSummary,
  kpisByPeriod,
  suggestWindow,
  type KpiSummary,
  type KpisByPeriod,
  type Period,
  type WindowSuggestion,
} from '../lib/analyses/kpis.ts';
import type { Model } from './model.svelte.ts';
import type { Session } from './session.svelte.ts';

/**
 * The KPI overview: parameters (period, inactivity window, margin, lifespan),
 * the whole-data summary and the per-period table. A change re-runs the analyses;
 * a run overtaken by a newer one is discarded.
 */
export class OverviewState {
  period = $state<Period>('month');
  /** Null: use the suggested window. */
  windowDays = $state<number | null>(null);
  marginPercent = $state(100);
  lifespanYears = $state<number | null>(null);
  suggestion = $state.raw<WindowSuggestion | null>(null);
  summary = $state.raw<KpiSummary | null>(null);
  periods = $state.raw<KpisByPeriod | null>(null);
  error = $state<string | null>(null);
  running = $state(false);
  /**
   * Whether the headline figures have been shown (or failed) once: the page's other
   * analyses start after them, so their queries do not hold up the first figures in
   * the engine's queue.
   */
  headlineDone = $state(false);
  #run = 0;

  constructor(
    private session: Session,
    private model: Model,
  ) {}

  /** The parameters as saved in a notebook cell. */
  get params(): Record<string, unknown> {
    return {
      period: this.period,
      windowDays: this.windowDays,
      marginPercent: this.marginPercent,
      lifespanYears: this.lifespanYears,
    };
  }

  restore(params: Record<string, unknown>) {
    if (params.period === 'month' || params.period === 'quarter' || params.period === 'year')
      this.period = params.period;
    if (typeof params.windowDays === 'number' && params.windowDays >= 1)
      this.windowDays = params.windowDays;
    if (
      typeof params.marginPercent === 'number' &&
      params.marginPercent >= 0 &&
      params.marginPercent <= 100
    ) {
      this.marginPercent = params.marginPercent;
    }
    if (typeof params.lifespanYears === 'number' && params.lifespanYears > 0)
      this.lifespanYears = params.lifespanYears;
  }

  get hasOrders(): boolean {
    return this.model.mappedKinds.includes('orders');
  }

  async refresh() {
    const run = ++this.#run;
    this.error = null;
    if (!this.hasOrders) {
      this.summary = null;
      this.periods = null;
      this.headlineDone = true;
      return;
    }
    this.running = true;
    try {
      const engine = await this.session.engine;
      const suggestion = await suggestWindow(engine);
      if (run !== this.#run) return;
      this.suggestion = suggestion;
      const windowDays = this.windowDays ?? suggestion.days;
      const summary = await kpiSummary(engine, {
        windowDays,
        margin: this.marginPercent / 100,
        lifespanYears: this.lifespanYears ?? undefined,
      });
      if (run !== this.#run) return;
      // The headline figures show as soon as they are known; the table per period follows.
      this.summary = summary;
      this.headlineDone = true;
      const periods = await kpisByPeriod(engine, { period: this.period, windowDays });
      if (run !== this.#run) return;
      this.periods = periods;
    } catch (error) {
      if (run === this.#run) this.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (run === this.#run) {
        this.running = false;
        this.headlineDone = true;
      }
    }
  }
}
