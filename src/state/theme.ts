/**
 * The theme choice (System / Light / Dark) and how it resolves, without DOM or runes,
 * so it is tested in Node. The rune state and the <html data-theme> attribute are in
 * theme.svelte.ts.
 */

/** What the person picked; "system" follows the operating system's setting. */
export type ThemeChoice = 'system' | 'light' | 'dark';
/** The look in force. */
export type ResolvedTheme = 'light' | 'dark';

/** The localStorage key the choice is kept under. */
export const THEME_KEY = 'retain.theme';

/** A stored value read back; anything unknown (or nothing) means "system". */
export function parseThemeChoice(stored: string | null | undefined): ThemeChoice {
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

/** The look a choice gives, given whether the system prefers dark. */
export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): ResolvedTheme {
  if (choice === 'system') return systemPrefersDark ? 'dark' : 'light';
  return choice;
}

/** A minimal Storage, so tests pass a Map-backed one and private modes may throw. */
export interface ThemeStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The stored choice; "system" when storage is unavailable (some private modes throw). */
export function loadThemeChoice(storage: ThemeStorage | undefined): ThemeChoice {
  try {
    return parseThemeChoice(storage?.getItem(THEME_KEY));
  } catch {
    return 'system';
  }
}

/** Keeps a choice; "system" is stored as no entry, so a default never sticks. */
export function saveThemeChoice(storage: ThemeStorage | undefined, choice: ThemeChoice): void {
  try {
    if (choice === 'system') storage?.removeItem(THEME_KEY);
    else storage?.setItem(THEME_KEY, choice);
  } catch {
    // Storage full or forbidden: the choice holds for this visit only.
  }
}
