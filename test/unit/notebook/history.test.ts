import { describe, expect, it } from 'vitest';
import { History } from '../../../src/lib/notebook/history.ts';

describe('History', () => {
  it('undoes and redoes', () => {
    const h = new History('a');
    expect([h.canUndo, h.canRedo]).toEqual([false, false]);
    h.push('b');
    h.push('c');
    expect(h.undo()).toBe('b');
    expect(h.undo()).toBe('a');
    expect(h.canUndo).toBe(false);
    expect(h.undo()).toBe('a');
    expect(h.redo()).toBe('b');
    expect(h.redo()).toBe('c');
    expect(h.canRedo).toBe(false);
    expect(h.redo()).toBe('c');
  });

  it('drops the redo branch when a new state is pushed after an undo', () => {
    const h = new History('a');
    h.push('b');
    h.push('c');
    h.undo();
    h.push('d');
    expect(h.canRedo).toBe(false);
    expect(h.undo()).toBe('b');
    expect(h.redo()).toBe('d');
  });

  it('ignores pushing the current state again', () => {
    const state = { n: 1 };
    const h = new History(state);
    h.push(state);
    expect(h.canUndo).toBe(false);
  });

  it('keeps at most 100 states, forgetting the oldest', () => {
    const h = new History(0);
    for (let i = 1; i <= 150; i++) h.push(i);
    let undos = 0;
    while (h.canUndo) {
      h.undo();
      undos++;
    }
    expect(undos).toBe(99);
    expect(h.current).toBe(51);
  });

  it('starts again from a state after reset', () => {
    const h = new History('a');
    h.push('b');
    h.reset('x');
    expect([h.current, h.canUndo, h.canRedo]).toEqual(['x', false, false]);
  });
});
