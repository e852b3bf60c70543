import { describe, expect, it } from 'vitest';
import { drawSoon } from '../../../src/lib/charts/draw-queue.ts';

/** Resolves after the tasks queued so far (a timer comes after the queue's messages). */
const tasks = (n = 5) =>
  new Promise<void>((resolve) => {
    let left = n;
    const step = () => (--left ? setTimeout(step, 0) : resolve());
    setTimeout(step, 0);
  });

describe('drawSoon', () => {
  it('draws later, in order, one drawing per task', async () => {
    const log: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      drawSoon(() => {
        log.push(name);
        // what has run when this task's microtasks run: not the next drawing yet
        queueMicrotask(() => log.push(`after ${name}`));
      });
    }
    expect(log).toEqual([]);
    await tasks();
    expect(log).toEqual(['a', 'after a', 'b', 'after b', 'c', 'after c']);
  });

  it('a cancelled drawing never runs; the others still do', async () => {
    const log: string[] = [];
    drawSoon(() => log.push('a'));
    const cancel = drawSoon(() => log.push('b'));
    drawSoon(() => log.push('c'));
    cancel();
    await tasks();
    expect(log).toEqual(['a', 'c']);
  });
});
