/** What the browser's `beforeinstallprompt` event gives us (not yet in lib.dom). */
export interface InstallPromptEvent extends Event {
  prompt(): Promise<unknown>;
  userChoice?: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

/** What Install needs from the page, so tests can hand it a fake window. */
export interface InstallHost {
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
  matchMedia(query: string): { matches: boolean };
  localStorage: Pick<Storage, 'getItem' | 'setItem'>;
}

/** The localStorage key that remembers "Not now", so the hint does not come back. */
export const INSTALL_DISMISSED_KEY = 'retain.install-hint.dismissed';

/**
 * The "Install Retain" hint. Chromium fires `beforeinstallprompt` when the app meets
 * its installability criteria; we keep the event (preventing the browser's own
 * mini-bar) and offer the install from a button instead. The hint never shows when
 * the app already runs installed (display-mode standalone), after `appinstalled`,
 * or once the person said "Not now".
 */
export class Install {
  /** True while the hint should show. */
  available = $state(false);
  #event: InstallPromptEvent | undefined;
  #host: InstallHost;
  #dismissed: boolean;
  #standalone: boolean;

  constructor(host: InstallHost) {
    this.#host = host;
    this.#dismissed = safeGet(host, INSTALL_DISMISSED_KEY) === '1';
    this.#standalone = host.matchMedia('(display-mode: standalone)').matches;
  }

  /** Start listening; returns the function that stops. */
  listen(): () => void {
    const offer = (event: Event) => {
      event.preventDefault();
      this.#event = event as InstallPromptEvent;
      this.available = !this.#dismissed && !this.#standalone;
    };
    const installed = () => {
      this.#event = undefined;
      this.available = false;
    };
    this.#host.addEventListener('beforeinstallprompt', offer);
    this.#host.addEventListener('appinstalled', installed);
    return () => {
      this.#host.removeEventListener('beforeinstallprompt', offer);
      this.#host.removeEventListener('appinstalled', installed);
    };
  }

  /** Show the browser's install dialog (an event can prompt only once). */
  async install(): Promise<void> {
    const event = this.#event;
    if (!event) return;
    this.#event = undefined;
    this.available = false;
    await event.prompt();
  }

  /** "Not now": hide the hint and remember it in this browser. */
  dismiss() {
    this.#dismissed = true;
    this.available = false;
    try {
      this.#host.localStorage.setItem(INSTALL_DISMISSED_KEY, '1');
    } catch {
      // Storage may be blocked; the hint then stays hidden for this visit only.
    }
  }
}

function safeGet(host: InstallHost, key: string): string | null {
  try {
    return host.localStorage.getItem(key);
  } catch {
    return null;
  }
}
