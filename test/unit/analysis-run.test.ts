import { describe, expect, it } from 'vitest';
import { ProgressRun } from '../../src/state/analysis-run.svelte.ts';

/** A task that reports progress, then waits until released or aborted. */
function controllable() {
  let release!: (v: string) => void;
  let hooks!: Parameters<Parameters<ProgressRun<string>['start']>[0]>[0];
  const task = (h: typeof hooks) => {
    hooks = h;
    return new Promise<string>((resolve, reject) => {
      release = resolve;
      h.signal.addEventListener('abort', () => reject(new DOMException('stop', 'AbortError')));
    });
  };
  return { task, release: (v: string) => release(v), hooks: () => hooks };
}

describe('ProgressRun', () => {
  it('starts at "Starting…", follows the task’s progress and clears it at the end', async () => {
    const run = new ProgressRun<string>();
    const t = controllable();
    const done = run.start(t.task);
    expect(run.progress).toEqual({ fraction: 0, step: 'Starting…' });
    t.hooks().onProgress(0.5, 'Halfway');
    expect(run.progress).toEqual({ fraction: 0.5, step: 'Halfway' });
    t.release('result');
    await done;
    expect(run.progress).toBeNull();
    expect(run.result).toBe('result');
  });

  it('a new start aborts the old run, which can no longer touch the progress or the result', async () => {
    const run = new ProgressRun<string>();
    const first = controllable();
    const second = controllable();
    const a = run.start(first.task);
    const b = run.start(second.task);
    expect(first.hooks().signal.aborted).toBe(true);
    first.hooks().onProgress(0.9, 'stale');
    expect(run.progress).toEqual({ fraction: 0, step: 'Starting…' });
    second.release('second');
    await Promise.all([a, b]);
    expect(run.result).toBe('second');
    expect(run.progress).toBeNull();
  });

  it('cancel() stops the run and says so; the next start clears that', async () => {
    const run = new ProgressRun<string>();
    const t = controllable();
    const done = run.start(t.task);
    run.cancel();
    expect(t.hooks().signal.aborted).toBe(true);
    expect(run.cancelled).toBe(true);
    await done;
    const next = controllable();
    const again = run.start(next.task);
    expect(run.cancelled).toBe(false);
    next.release('ok');
    await again;
    expect(run.result).toBe('ok');
  });
});
