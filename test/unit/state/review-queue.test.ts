import { describe, expect, it } from 'vitest';
import { ReviewQueue } from '../../../src/state/review-queue.ts';

describe('the queue of tables waiting for a proposed mapping', () => {
  it('gives the tables in load order, each once', () => {
    const q = new ReviewQueue();
    q.add(['customers']);
    q.add(['nps', 'customers', 'events']);
    const none = () => false;
    expect([q.next(none), q.next(none), q.next(none), q.next(none)]).toEqual([
      'customers',
      'nps',
      'events',
      undefined,
    ]);
    expect(q.size).toBe(0);
  });

  it('skips and drops tables mapped or removed meanwhile', () => {
    const q = new ReviewQueue();
    q.add(['a', 'b', 'c']);
    const mapped = new Set(['a', 'b']);
    expect(q.next((t) => mapped.has(t))).toBe('c');
    expect(q.size).toBe(0);
  });

  it('forgets everything when cleared', () => {
    const q = new ReviewQueue();
    q.add(['a', 'b']);
    q.clear();
    expect(q.next(() => false)).toBeUndefined();
  });
});
