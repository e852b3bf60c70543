/**
 * A small lexer that splits SQL text into code, strings, quoted identifiers and
 * comments, so `$name` and table names are only looked for in code. It follows
 * DuckDB's (PostgreSQL's) rules: '' inside a string, "" inside an identifier,
 * E'…' strings with backslash escapes, and nested block comments.
 * Dollar-quoted strings ($$…$$) are not recognised.
 */

/** What a stretch of SQL text is. */
export type SegmentKind = 'code' | 'string' | 'identifier' | 'comment';

/** A stretch `[start, end)` of the text. */
export interface Segment {
  kind: SegmentKind;
  start: number;
  end: number;
}

/** Split `sql` into segments covering the whole text, in order. */
export function scanSql(sql: string): Segment[] {
  const segments: Segment[] = [];
  let codeStart = 0;
  let i = 0;
  const push = (kind: SegmentKind, start: number, end: number) => {
    if (start > codeStart) segments.push({ kind: 'code', start: codeStart, end: start });
    segments.push({ kind, start, end });
    codeStart = end;
  };
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === "'") {
      push('string', i, quotedEnd(sql, i, "'", false));
    } else if ((c === 'E' || c === 'e') && next === "'" && !isWordChar(sql[i - 1])) {
      push('string', i, quotedEnd(sql, i + 1, "'", true));
    } else if (c === '"') {
      push('identifier', i, quotedEnd(sql, i, '"', false));
    } else if (c === '-' && next === '-') {
      const newline = sql.indexOf('\n', i);
      push('comment', i, newline === -1 ? sql.length : newline);
    } else if (c === '/' && next === '*') {
      push('comment', i, blockCommentEnd(sql, i));
    } else {
      i++;
      continue;
    }
    i = codeStart;
  }
  if (codeStart < sql.length) segments.push({ kind: 'code', start: codeStart, end: sql.length });
  return segments;
}

/** Whether `c` can be part of an unquoted word (DuckDB allows `$` after the first letter). */
export function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_$]/.test(c);
}

/** The end (exclusive) of a quoted run opening at `open`; the end of text when unterminated. */
function quotedEnd(sql: string, open: number, quote: string, backslash: boolean): number {
  for (let i = open + 1; i < sql.length; i++) {
    if (backslash && sql[i] === '\\') {
      i++;
    } else if (sql[i] === quote) {
      if (sql[i + 1] !== quote) return i + 1;
      i++;
    }
  }
  return sql.length;
}

function blockCommentEnd(sql: string, open: number): number {
  let depth = 0;
  for (let i = open; i < sql.length - 1; i++) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i++;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i++;
      if (depth === 0) return i + 1;
    }
  }
  return sql.length;
}
