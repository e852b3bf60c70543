/**
 * A standalone report (src/lib/audit/report.ts, src/lib/export/report.ts) taken apart so
 * the app can show it inside a shadow root: its stylesheet, re-aimed at the shadow host,
 * and its body's markup. The report's CSS targets `:root` and `body`, which do not
 * exist in a shadow tree; `@page` rules are dropped there (the app's print CSS has one).
 */
export interface EmbeddableReport {
  css: string;
  body: string;
}

/** The class the body's markup is wrapped in; the report's `body` rules point at it. */
export const REPORT_BODY_CLASS = 'report-body';

/**
 * Splits a report into CSS and body markup. Only the report generators' own output is
 * passed in (every text escaped, chart SVG checked by checkMarkup), never user HTML.
 */
export function embeddableReport(html: string): EmbeddableReport {
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
  const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1] ?? '';
  const css = stripPageRules(styles.join('\n'))
    .replace(/:root\b/g, ':host')
    .replace(/(^|[\s,}])body(?=\s*[{,.:\s])/g, `$1.${REPORT_BODY_CLASS}`);
  return { css, body: body.trim() };
}

/** Removes `@page … { … }` blocks, nested braces included (margin boxes like @top-left). */
function stripPageRules(css: string): string {
  let out = '';
  let i = 0;
  while (i < css.length) {
    const at = css.indexOf('@page', i);
    if (at < 0) break;
    out += css.slice(i, at);
    const open = css.indexOf('{', at);
    if (open < 0) return out;
    let depth = 1;
    let j = open + 1;
    for (; j < css.length && depth > 0; j++) {
      if (css[j] === '{') depth++;
      else if (css[j] === '}') depth--;
    }
    i = j;
  }
  return out + css.slice(i);
}
