import { flushSync } from 'svelte';
import {
  loadThemeChoice,
  resolveTheme,
  saveThemeChoice,
  type ResolvedTheme,
  type ThemeChoice,
} from './theme.ts';

const storage = (): Storage | undefined => {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
};

/**
 * The theme in force. main.ts imports this module before mounting the app, so
 * `data-theme` is on <html> before the first frame of the app is drawn (the CSP forbids
 * an inline script in index.html). app.css keys its dark colours on that attribute and
 * PlotChart redraws charts when `resolved` changes.
 */
class ThemeState {
  choice = $state<ThemeChoice>(loadThemeChoice(storage()));
  systemDark = $state(false);
  /** True while the browser prints: paper is white, so print always uses the light look. */
  printing = $state(false);
  /** The look in force: the choice, or the system's when the choice is "system". */
  resolved: ResolvedTheme = $derived(
    this.printing ? 'light' : resolveTheme(this.choice, this.systemDark),
  );

  constructor() {
    const query = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
    if (query) {
      this.systemDark = query.matches;
      query.addEventListener('change', (e) => {
        this.systemDark = e.matches;
        this.#apply();
      });
    }
    // Charts redraw in the light palette before the print layout is taken (flushSync).
    globalThis.addEventListener?.('beforeprint', () => this.#print(true));
    globalThis.addEventListener?.('afterprint', () => this.#print(false));
    this.#apply();
  }

  #print(printing: boolean) {
    this.printing = printing;
    this.#apply();
    flushSync();
  }

  /** Picks a theme and keeps it for the next visit. */
  set(choice: ThemeChoice) {
    this.choice = choice;
    saveThemeChoice(storage(), choice);
    this.#apply();
  }

  #apply() {
    const root = globalThis.document?.documentElement;
    if (!root) return;
    root.dataset.theme = this.resolved;
  }
}

/** The app's one theme state. */
export const theme = new ThemeState();
