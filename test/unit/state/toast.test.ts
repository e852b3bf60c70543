import { describe, expect, it, vi } from 'vitest';
import { TOAST_MS, Toasts } from '../../../src/state/toast.svelte.ts';

/** A hand-driven clock: `tick(ms)` fires the timers that are due. */
function clock() {
  let now = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  return {
    timer: {
      set: (fn: () => void, ms: number) => {
        pending.set(next, { at: now + ms, fn });
        return next++;
      },
      clear: (h: unknown) => void pending.delete(h as number),
    },
    tick(ms: number) {
      now += ms;
      for (const [h, t] of [...pending]) {
        if (t.at <= now) {
          pending.delete(h);
          t.fn();
        }
      }
    },
    pending: () => pending.size,
  };
}

describe('Toasts', () => {
  it('shows a toast and removes it after TOAST_MS (10 s), then runs onExpire once', () => {
    const c = clock();
    const toasts = new Toasts(c.timer);
    const onExpire = vi.fn();
    toasts.show('Deleted “Q3”.', { undo: () => {}, onExpire });
    expect(toasts.items.map((t) => t.message)).toEqual(['Deleted “Q3”.']);
    c.tick(TOAST_MS - 1);
    expect(toasts.items).toHaveLength(1);
    c.tick(1);
    expect(toasts.items).toHaveLength(0);
    expect(onExpire).toHaveBeenCalledTimes(1);
    expect(TOAST_MS).toBe(10_000);
  });

  it('undo runs the action, closes the toast, stops its timer and never runs onExpire', async () => {
    const c = clock();
    const toasts = new Toasts(c.timer);
    const undo = vi.fn();
    const onExpire = vi.fn();
    const id = toasts.show('Deleted a cell.', { undo, onExpire });
    await toasts.undo(id);
    expect(undo).toHaveBeenCalledTimes(1);
    expect(toasts.items).toHaveLength(0);
    expect(c.pending()).toBe(0);
    c.tick(TOAST_MS);
    expect(onExpire).not.toHaveBeenCalled();
  });

  it('a failed undo keeps the toast with what happened and what to do', async () => {
    const toasts = new Toasts(clock().timer);
    const id = toasts.show('Deleted “Q3”.', {
      undo: () => Promise.reject(new Error('The browser’s storage is full.')),
    });
    await toasts.undo(id);
    expect(toasts.items).toHaveLength(1);
    expect(toasts.items[0].error).toBe(
      'Undo failed: The browser’s storage is full. Reload the page and check.',
    );
    expect(toasts.items[0].undo).toBeUndefined();
  });

  it('dismiss closes one toast at once and runs its onExpire; others stay', () => {
    const c = clock();
    const toasts = new Toasts(c.timer);
    const first = vi.fn();
    const a = toasts.show('A', { onExpire: first });
    toasts.show('B');
    toasts.dismiss(a);
    expect(first).toHaveBeenCalledTimes(1);
    expect(toasts.items.map((t) => t.message)).toEqual(['B']);
    expect(c.pending()).toBe(1);
  });

  it('undo of a toast without an undo, or of one already gone, does nothing', async () => {
    const toasts = new Toasts(clock().timer);
    const id = toasts.show('Saved.');
    await toasts.undo(id);
    await toasts.undo(999);
    expect(toasts.items.map((t) => t.message)).toEqual(['Saved.']);
  });
});
