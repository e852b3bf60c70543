import { literal } from '../sql/quote.ts';

/**
 * Time zones without ICU: DuckDB-WASM ships no time-zone database, so the offsets
 * of a zone over the data's date range are computed here with the browser's (or
 * Node's) Intl, and written into SQL as a CASE over the transitions.
 */

/** Minutes `zone` is ahead of UTC at instant `ms`. */
export function offsetMinutes(zone: string, ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** Whether Intl knows the zone. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface OffsetInterval {
  /** UTC instant (ms) from which `offset` applies. */
  start: number;
  offset: number;
}

const HOUR = 3_600_000;

/** The offsets in force between two instants, one entry per change (DST transitions). */
export function offsetIntervals(zone: string, fromMs: number, toMs: number): OffsetInterval[] {
  const out: OffsetInterval[] = [{ start: -Infinity, offset: offsetMinutes(zone, fromMs) }];
  const step = 24 * HOUR;
  for (let t = fromMs; t < toMs + step; t += step) {
    const before = out[out.length - 1].offset;
    const after = offsetMinutes(zone, t + step);
    if (after === before) continue;
    // Narrow the change down to the minute.
    let lo = t;
    let hi = t + step;
    while (hi - lo > 60_000) {
      const mid = Math.floor((lo + hi) / 2 / 60_000) * 60_000;
      if (offsetMinutes(zone, mid) === before) lo = mid;
      else hi = mid;
    }
    out.push({ start: hi, offset: after });
  }
  return out;
}

/**
 * SQL turning a UTC timestamp expression into wall-clock time in `zone`, valid for
 * instants between `fromMs` and `toMs` (the data's range).
 */
export function utcToZoneSql(expr: string, zone: string, fromMs: number, toMs: number): string {
  if (zone === 'UTC' || zone === 'Etc/UTC') return expr;
  const intervals = offsetIntervals(zone, fromMs, toMs);
  if (intervals.length === 1) return `(${expr} + to_minutes(${intervals[0].offset}))`;
  const cases = intervals
    .slice(1)
    .map((iv, i) => `WHEN ${expr} < ${timestampLiteral(iv.start)} THEN ${intervals[i].offset}`)
    .join(' ');
  return `(${expr} + to_minutes(CASE ${cases} ELSE ${intervals[intervals.length - 1].offset} END))`;
}

function timestampLiteral(ms: number): string {
  return `CAST(${literal(new Date(ms).toISOString().replace('T', ' ').replace('Z', ''))} AS TIMESTAMP)`;
}
