/**
 * Undo and redo over immutable snapshots (notebooks are never mutated, so a
 * snapshot is just a reference). The history holds at most `limit` states,
 * forgetting the oldest first; pushing after an undo drops the redo branch.
 */
export class History<T> {
  #states: T[];
  #at = 0;
  readonly limit: number;

  /** Start with `initial` as the only state; `limit` counts every state kept, the current one included. */
  constructor(initial: T, limit = 100) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError('The limit must be at least 1.');
    this.#states = [initial];
    this.limit = limit;
  }

  /** The state now shown. */
  get current(): T {
    return this.#states[this.#at];
  }

  /** Whether there is an earlier state to go back to. */
  get canUndo(): boolean {
    return this.#at > 0;
  }

  /** Whether there is an undone state to go forward to. */
  get canRedo(): boolean {
    return this.#at < this.#states.length - 1;
  }

  /** Record a new state. Pushing the current state again records nothing. */
  push(state: T): void {
    if (state === this.current) return;
    this.#states.length = this.#at + 1;
    this.#states.push(state);
    if (this.#states.length > this.limit) this.#states.splice(0, this.#states.length - this.limit);
    this.#at = this.#states.length - 1;
  }

  /** Go back one state and return it (the current state when there is nothing to undo). */
  undo(): T {
    if (this.canUndo) this.#at--;
    return this.current;
  }

  /** Go forward one state and return it (the current state when there is nothing to redo). */
  redo(): T {
    if (this.canRedo) this.#at++;
    return this.current;
  }

  /** Forget every state and start again from `state` (e.g. after opening another notebook). */
  reset(state: T): void {
    this.#states = [state];
    this.#at = 0;
  }
}
