import { describe, expect, it } from 'vitest';
import {
  loadThemeChoice,
  parseThemeChoice,
  resolveTheme,
  saveThemeChoice,
  THEME_KEY,
  type ThemeStorage,
} from '../../../src/state/theme.ts';
import { viewFromHash } from '../../../src/state/views.ts';

const memory = (): ThemeStorage & { map: Map<string, string> } => {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
};

describe('theme choice', () => {
  it('reads light and dark; anything else is system', () => {
    expect(parseThemeChoice('dark')).toBe('dark');
    expect(parseThemeChoice('light')).toBe('light');
    expect(parseThemeChoice('Dark')).toBe('system');
    expect(parseThemeChoice(null)).toBe('system');
  });

  it('follows the system only when the choice is system', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('keeps light/dark under retain.theme and stores system as no entry', () => {
    const s = memory();
    saveThemeChoice(s, 'dark');
    expect(s.map.get('retain.theme')).toBe('dark');
    expect(THEME_KEY).toBe('retain.theme');
    expect(loadThemeChoice(s)).toBe('dark');
    saveThemeChoice(s, 'system');
    expect(s.map.size).toBe(0);
    expect(loadThemeChoice(s)).toBe('system');
  });

  it('falls back to system when storage throws', () => {
    const broken: ThemeStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    };
    expect(loadThemeChoice(broken)).toBe('system');
    expect(() => saveThemeChoice(broken, 'dark')).not.toThrow();
    expect(loadThemeChoice(undefined)).toBe('system');
  });
});

describe('viewFromHash', () => {
  it('keeps the old hashes, adds #report, and opens share links in the notebook', () => {
    for (const v of ['data', 'quality', 'overview', 'notebook', 'audit', 'privacy', 'report'])
      expect(viewFromHash(`#${v}`)).toBe(v);
    expect(viewFromHash('#nb=abc')).toBe('notebook');
    expect(viewFromHash('')).toBe('data');
    expect(viewFromHash('#nope')).toBe('data');
  });
});
