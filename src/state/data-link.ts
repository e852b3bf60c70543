import { needsNewPolicy } from '../lib/security/csp.ts';

/**
 * Load a data file from a web address. A file on the app's own origin loads in place;
 * one on another origin needs a page whose Content-Security-Policy allows exactly that
 * origin (a policy cannot be relaxed once set), so the page reopens as a `?data=` link.
 * Tables and notebooks are stored, so they are all there again after it.
 *
 * `beforeLeave` saves what is not saved yet (the notebook being edited).
 */
export async function loadAddress(
  address: string,
  loadInPlace: (address: string) => Promise<void>,
  beforeLeave: () => Promise<void>,
  hash = location.hash,
): Promise<void> {
  if (!needsNewPolicy(address, location.href)) return loadInPlace(address);
  await beforeLeave();
  const next = new URL(location.href);
  next.searchParams.set('data', address);
  next.hash = hash;
  location.assign(next.href);
}
