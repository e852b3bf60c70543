/**
 * One analysis result with its run state: a newer run makes an older one's
 * result irrelevant, so only the latest run's outcome is kept.
 */
export class AnalysisRun<T> {
  result = $state.raw<T | null>(null);
  error = $state<string | null>(null);
  running = $state(false);
  #id = 0;

  async run(task: () => Promise<T>) {
    const id = ++this.#id;
    this.running = true;
    this.error = null;
    try {
      const result = await task();
      if (id === this.#id) this.result = result;
    } catch (error) {
      if (id === this.#id) this.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (id === this.#id) this.running = false;
    }
  }
}

/** How far a long run has got: a fraction in [0, 1] and the step it is on. */
export interface RunProgressState {
  fraction: number;
  step: string;
}

/** What a long task gets from {@link ProgressRun.start}: a signal to stop on and a progress hook. */
export interface RunHooks {
  signal: AbortSignal;
  onProgress: (fraction: number, step: string) => void;
}

/**
 * An {@link AnalysisRun} for long analyses that report progress and can be
 * cancelled: each start aborts the run before it (its result would be
 * discarded anyway), and only the latest run may move the progress bar, so a
 * stale run finishing late cannot clear or overwrite the current one's.
 */
export class ProgressRun<T> extends AnalysisRun<T> {
  progress = $state<RunProgressState | null>(null);
  cancelled = $state(false);
  // Not state: the run's own bookkeeping, never shown, and reading it in a
  // cell's $effect must not make the effect depend on it.
  #controller: AbortController | undefined;

  /** Aborts any earlier run and runs `task` with this run's signal and progress hook. */
  start(task: (hooks: RunHooks) => Promise<T>): Promise<void> {
    this.#controller?.abort();
    const c = new AbortController();
    this.#controller = c;
    this.cancelled = false;
    this.progress = { fraction: 0, step: 'Starting…' };
    const onProgress = (fraction: number, step: string) => {
      if (this.#controller === c) this.progress = { fraction, step };
    };
    return this.run(() => task({ signal: c.signal, onProgress })).finally(() => {
      if (this.#controller === c) this.progress = null;
    });
  }

  /** Stops the current run at its next check; the cell then says it was cancelled. */
  cancel() {
    this.cancelled = true;
    this.#controller?.abort();
  }
}
