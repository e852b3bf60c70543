import { looksLikeUtf16, utf16Bom } from './detect.ts';

/** JSON is UTF-8 by specification; UTF-16 files (with or without BOM) are honoured too. */
export function detectEncodingForJson(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' {
  return utf16Bom(bytes) ?? looksLikeUtf16(bytes) ?? 'utf-8';
}
