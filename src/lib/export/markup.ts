/** Text as HTML: the five characters that can open markup or end an attribute, escaped. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export type MarkupCheck = { ok: true; markup: string } | { ok: false; reason: string };

/** Namespace declarations name a URI but never fetch it; the HTML parser ignores them on inline SVG. */
const XMLNS = /\s+xmlns(?::[\w-]+)?\s*=\s*(["'])https?:\/\/www\.w3\.org\/[^"']*\1/gi;
/** Links out of the report become plain text: a saved report must not lead anywhere unexpected. */
const ANCHOR_HREF = /(<a\b[^>]*?)\s+href\s*=\s*(?:"(?!#)[^"]*"|'(?!#)[^']*'|(?!["'#])[^\s>]+)/gi;

/** What a report refuses outright; any one of these means the caller's sanitiser was bypassed. */
const TAGS: Array<[RegExp, string]> = [
  [/<\s*script/i, 'a <script> element'],
  [/[\s"'/]on[a-z]+\s*=/i, 'an event-handler attribute'],
  [
    /<\s*(?:iframe|frame|object|embed|link|meta|base|form|foreignobject|portal)\b/i,
    'an embedding element',
  ],
];
/** Checked also with character references decoded and, for script URLs, whitespace removed. */
const URLS: Array<[RegExp, string]> = [
  [
    /\b(?:src|srcset|href|poster|action|formaction|background|data)\s*=\s*["']?\s*(?:[a-z][\w+.-]*:|\/\/|\\\\)/i,
    'an external URL',
  ],
  [/url\s*\(\s*["']?\s*(?!#)/i, 'a CSS url() other than a fragment'],
  [/@import/i, 'a CSS @import'],
];
const SCRIPT_URL = /(?:java|vb)script:/i;

/**
 * A defensive second check on markup the caller has already sanitised (DOMPurify for
 * markdown HTML, Observable Plot for chart SVG); it is not a sanitiser itself. W3C
 * namespace declarations and external link targets are removed; anything that could
 * run script or fetch a resource refuses the whole string. Attribute values are also
 * checked with character references decoded and whitespace removed, as browsers read
 * `&#106;avascript:` and `java\tscript:` as `javascript:`.
 */
export function checkMarkup(markup: string): MarkupCheck {
  // URL parsing drops C0 controls and spaces, so `java\tscript:` still runs.
  // eslint-disable-next-line no-control-regex
  const squeezed = decodeReferences(markup).replace(/[\u0000-\u0020]+/g, '');
  if (SCRIPT_URL.test(squeezed)) return { ok: false, reason: 'a script URL' };
  for (const [pattern, reason] of TAGS) {
    if (pattern.test(markup)) return { ok: false, reason };
  }
  const cleaned = markup.replace(XMLNS, '').replace(ANCHOR_HREF, '$1');
  const decoded = decodeReferences(cleaned);
  for (const [pattern, reason] of URLS) {
    if (pattern.test(cleaned) || pattern.test(decoded)) return { ok: false, reason };
  }
  return { ok: true, markup: cleaned };
}

const NAMED: Record<string, string> = {
  colon: ':',
  tab: '\t',
  newline: '\n',
  lpar: '(',
  rpar: ')',
  sol: '/',
  period: '.',
};

function decodeReferences(text: string): string {
  return text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|([a-z]+));?/gi, (whole, hex, dec, name) => {
    if (name) return NAMED[name.toLowerCase()] ?? whole;
    const code = hex ? parseInt(hex, 16) : parseInt(dec, 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}
