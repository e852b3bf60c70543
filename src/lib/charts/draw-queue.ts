/**
 * Charts drawn one per task. Observable Plot draws synchronously (30–60 ms for one of
 * the overview's charts on two cores), and a page that receives its results at once
 * would draw all of them in one long task. Each drawing is queued here and run in its
 * own task (a MessageChannel message, which is not throttled like setTimeout), so input
 * and rendering get the main thread between two charts.
 */
const queue: (() => void)[] = [];
let channel: MessageChannel | undefined;
let scheduled = false;

function schedule() {
  if (scheduled || !channel) return;
  scheduled = true;
  channel.port2.postMessage(0);
}

function pump() {
  scheduled = false;
  queue.shift()?.();
  if (queue.length) schedule();
}

/** Run `draw` in a task of its own, after the drawings queued before it; returns a cancel. */
export function drawSoon(draw: () => void): () => void {
  if (typeof MessageChannel === 'undefined') {
    draw();
    return () => {};
  }
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = pump;
    // In Node (the unit tests) an open port would keep the process alive.
    (channel.port1 as { unref?: () => void }).unref?.();
  }
  queue.push(draw);
  schedule();
  return () => {
    const i = queue.indexOf(draw);
    if (i >= 0) queue.splice(i, 1);
  };
}
