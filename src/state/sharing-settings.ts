import { newSecret, SAFE_SHARING_OFF, type SafeSharing } from '../lib/export/safe-sharing.ts';
import { LOCAL_PREFIX } from './storage.ts';

/** Where the safe-sharing settings (and the pseudonym key) are kept: this browser only. */
const KEY = `${LOCAL_PREFIX}safeSharing`;

/** The settings in force for exports (off until the user turns them on). */
export function loadSharing(): SafeSharing {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<SafeSharing> | null;
    if (!raw) return SAFE_SHARING_OFF;
    const k = Number(raw.minGroupSize);
    return {
      minGroupSize: Number.isFinite(k) && k >= 0 ? Math.min(Math.floor(k), 1000) : 0,
      pseudonymise: raw.pseudonymise === true && typeof raw.secret === 'string',
      secret: typeof raw.secret === 'string' ? raw.secret : '',
    };
  } catch {
    return SAFE_SHARING_OFF;
  }
}

/** Save settings; a key is made the first time pseudonyms are turned on. */
export function saveSharing(settings: SafeSharing): SafeSharing {
  const next = {
    ...settings,
    secret: settings.secret || (settings.pseudonymise ? newSecret() : ''),
  };
  localStorage.setItem(KEY, JSON.stringify(next));
  return next;
}
