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
