/** One short notice at the foot of the page, optionally with an Undo. */
export interface Toast {
  id: number;
  message: string;
  /** Puts back what the action removed; the Undo button shows only when set. */
  undo?: () => void | Promise<void>;
  /** Set when the undo itself failed: what happened and what to do. */
  error?: string;
}

/** How long a toast (and so its Undo) stays, in milliseconds. */
export const TOAST_MS = 10_000;

/**
 * The toasts on screen. A destructive action that can be reversed shows one with
 * Undo for TOAST_MS; when the toast expires, `onExpire` runs (to drop what was kept
 * for the undo). The timer functions are injectable so tests need no real clock.
 */
export class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;
  #timers = new Map<number, { handle: unknown; onExpire?: () => void }>();

  constructor(
    private timer: {
      set: (fn: () => void, ms: number) => unknown;
      clear: (handle: unknown) => void;
    } = {
      set: (fn, ms) => setTimeout(fn, ms),
      clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    },
  ) {}

  /** Show a toast; returns its id. */
  show(
    message: string,
    options: { undo?: Toast['undo']; onExpire?: () => void; ms?: number } = {},
  ): number {
    const id = this.#next++;
    this.items = [...this.items, { id, message, undo: options.undo }];
    const handle = this.timer.set(() => this.#expire(id), options.ms ?? TOAST_MS);
    this.#timers.set(id, { handle, onExpire: options.onExpire });
    return id;
  }

  /** Run the toast's undo and close it (unless the undo failed: then say so, and keep it). */
  async undo(id: number) {
    const toast = this.items.find((t) => t.id === id);
    if (!toast?.undo) return;
    const undo = toast.undo;
    this.#stop(id);
    try {
      await undo();
      this.items = this.items.filter((t) => t.id !== id);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.items = this.items.map((t) =>
        t.id === id
          ? { id, message: t.message, error: `Undo failed: ${why} Reload the page and check.` }
          : t,
      );
    }
  }

  /** Close a toast now; its onExpire runs as if it had timed out. */
  dismiss(id: number) {
    this.#expire(id);
  }

  #expire(id: number) {
    const timer = this.#timers.get(id);
    this.#stop(id);
    this.items = this.items.filter((t) => t.id !== id);
    timer?.onExpire?.();
  }

  #stop(id: number) {
    const timer = this.#timers.get(id);
    if (timer) this.timer.clear(timer.handle);
    this.#timers.delete(id);
  }
}

/** The app's one toast stack (components show into it; Toast.svelte draws it). */
export const toasts = new Toasts();
