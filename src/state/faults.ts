/**
 * Fault hooks, for the end-to-end tests that prove the app survives a crash: they
 * stop a worker exactly as a crash would. They can only harm this tab's own work
 * (any script on the page could terminate its workers anyway), so they are always on.
 */
const hooks: Record<string, () => unknown> = {};

/** Offer a way to crash something, as `window.__retainFaults[name]()`. */
export function registerFault(name: string, crash: () => unknown) {
  hooks[name] = crash;
  (globalThis as unknown as { __retainFaults?: typeof hooks }).__retainFaults = hooks;
}
