/**
 * The loaded tables still waiting for their mapping to be proposed. Several files
 * dropped at once load one after another; each would otherwise replace the proposal
 * of the one before, leaving all but the last unmapped without a word. Instead the
 * first is proposed, and each confirmation proposes the next, in load order.
 */
export class ReviewQueue {
  #pending: string[] = [];

  /** Queue tables (in load order), each once. */
  add(tables: readonly string[]): void {
    for (const t of tables) if (!this.#pending.includes(t)) this.#pending.push(t);
  }

  /**
   * Take the next table to propose, skipping (and dropping) those `settled` says need
   * no proposal any more: mapped meanwhile, or removed.
   */
  next(settled: (table: string) => boolean): string | undefined {
    while (this.#pending.length) {
      const table = this.#pending.shift()!;
      if (!settled(table)) return table;
    }
    return undefined;
  }

  /** How many tables are waiting. */
  get size(): number {
    return this.#pending.length;
  }

  /** Forget every waiting table (after Clear all data). */
  clear(): void {
    this.#pending = [];
  }
}
