import { describe, expect, it, vi } from 'vitest';
import {
  INSTALL_DISMISSED_KEY,
  Install,
  type InstallHost,
} from '../../../src/state/install.svelte.ts';

/** A fake window: an EventTarget with a display mode and a storage map. */
function host(options: { standalone?: boolean; stored?: Record<string, string> } = {}) {
  const target = new EventTarget();
  const store = new Map(Object.entries(options.stored ?? {}));
  const fake: InstallHost = {
    addEventListener: (t, l) => target.addEventListener(t, l),
    removeEventListener: (t, l) => target.removeEventListener(t, l),
    matchMedia: (q) => ({ matches: !!options.standalone && q.includes('standalone') }),
    localStorage: {
      getItem: (k) => store.get(k) ?? null,
      setItem: (k, v) => void store.set(k, v),
    },
  };
  const offer = () => {
    const event = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
      prompt: vi.fn(async () => ({ outcome: 'accepted' })),
    });
    target.dispatchEvent(event);
    return event;
  };
  return { fake, store, offer, fire: (type: string) => target.dispatchEvent(new Event(type)) };
}

describe('Install', () => {
  it('is hidden until the browser offers an install, then keeps the event and stops the mini-bar', () => {
    const h = host();
    const install = new Install(h.fake);
    install.listen();
    expect(install.available).toBe(false);
    const event = h.offer();
    expect(install.available).toBe(true);
    expect(event.defaultPrevented).toBe(true);
  });

  it('install() calls the kept event’s prompt() once and hides the hint', async () => {
    const h = host();
    const install = new Install(h.fake);
    install.listen();
    const event = h.offer();
    await install.install();
    await install.install();
    expect(event.prompt).toHaveBeenCalledTimes(1);
    expect(install.available).toBe(false);
  });

  it('hides after appinstalled', () => {
    const h = host();
    const install = new Install(h.fake);
    install.listen();
    h.offer();
    h.fire('appinstalled');
    expect(install.available).toBe(false);
  });

  it('never shows when already running installed (display-mode standalone)', () => {
    const h = host({ standalone: true });
    const install = new Install(h.fake);
    install.listen();
    h.offer();
    expect(install.available).toBe(false);
  });

  it('remembers "Not now" in storage, and a later visit stays quiet', () => {
    const h = host();
    const install = new Install(h.fake);
    install.listen();
    h.offer();
    install.dismiss();
    expect(install.available).toBe(false);
    expect(h.store.get(INSTALL_DISMISSED_KEY)).toBe('1');

    const later = host({ stored: { [INSTALL_DISMISSED_KEY]: '1' } });
    const again = new Install(later.fake);
    again.listen();
    later.offer();
    expect(again.available).toBe(false);
  });

  it('stops listening when the returned function is called', () => {
    const h = host();
    const install = new Install(h.fake);
    const stop = install.listen();
    stop();
    h.offer();
    expect(install.available).toBe(false);
  });
});
