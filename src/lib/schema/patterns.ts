/**
 * Value patterns used to recognise columns whatever their names: date formats
 * (including ambiguous day/month order), YYYYMMDD integers, Unix times, amounts
 * written as text, identifiers with leading zeros.
 */

interface DateCandidate {
  format: string;
  pattern: RegExp;
  /** Capture-group positions of day and month, for validity and ambiguity checks. */
  day?: number;
  month?: number;
}

const T = '(?:[ T](\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?';
const CANDIDATES: DateCandidate[] = [
  {
    format: 'iso',
    pattern:
      /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC)?$/,
  },
  {
    format: '%Y/%m/%d',
    pattern: new RegExp(`^(\\d{4})/(\\d{1,2})/(\\d{1,2})${T}$`),
    month: 2,
    day: 3,
  },
  {
    format: '%d/%m/%Y',
    pattern: new RegExp(`^(\\d{1,2})/(\\d{1,2})/(\\d{4})${T}$`),
    day: 1,
    month: 2,
  },
  {
    format: '%m/%d/%Y',
    pattern: new RegExp(`^(\\d{1,2})/(\\d{1,2})/(\\d{4})${T}$`),
    month: 1,
    day: 2,
  },
  {
    format: '%d.%m.%Y',
    pattern: new RegExp(`^(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4})${T}$`),
    day: 1,
    month: 2,
  },
  {
    format: '%d-%m-%Y',
    pattern: new RegExp(`^(\\d{1,2})-(\\d{1,2})-(\\d{4})${T}$`),
    day: 1,
    month: 2,
  },
  {
    format: '%m-%d-%Y',
    pattern: new RegExp(`^(\\d{1,2})-(\\d{1,2})-(\\d{4})${T}$`),
    month: 1,
    day: 2,
  },
  {
    format: '%d/%m/%y',
    pattern: new RegExp(`^(\\d{1,2})/(\\d{1,2})/(\\d{2})${T}$`),
    day: 1,
    month: 2,
  },
  {
    format: '%m/%d/%y',
    pattern: new RegExp(`^(\\d{1,2})/(\\d{1,2})/(\\d{2})${T}$`),
    month: 1,
    day: 2,
  },
  { format: '%Y%m%d', pattern: /^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/ },
];

export interface DateFormatGuess {
  /** A strptime format, or undefined when DuckDB reads the values as they are (ISO 8601). */
  format?: string;
  /** Day/month order cannot be told from the values (every day ≤ 12). */
  ambiguous: boolean;
  /** The values carry a UTC marker (Z, +00:00, "UTC"). */
  utc: boolean;
}

/** The strptime format with a time part matching the values' shape. */
function withTime(format: string, sample: string): string {
  const time = /[ T](\d{1,2}):(\d{2})(:(\d{2}))?$/.exec(sample);
  if (!time) return format;
  return `${format} %H:%M${time[3] ? ':%S' : ''}`;
}

/**
 * The date format that reads every value. When both day-first and month-first
 * read everything, day-first is chosen (most of the world) and flagged as ambiguous.
 */
export function guessDateFormat(values: string[]): DateFormatGuess | undefined {
  const sample = values.map((v) => v.trim()).filter(Boolean);
  if (sample.length === 0) return undefined;
  const utc = sample.every((v) => /(Z|[+-]00:?00|UTC)$/.test(v));
  // A few stray values ("n/a", a typo) must not hide the format of the rest.
  const enough = (n: number) => n >= Math.max(1, Math.ceil(sample.length * 0.95));
  const fits = CANDIDATES.filter((c) =>
    enough(
      sample.filter((v) => {
        const m = c.pattern.exec(v);
        if (!m) return false;
        if (c.day && c.month) {
          const day = Number(m[c.day]);
          const month = Number(m[c.month]);
          return day >= 1 && day <= 31 && month >= 1 && month <= 12;
        }
        return true;
      }).length,
    ),
  );
  if (fits.length === 0) return undefined;
  const [best] = fits;
  if (best.format === 'iso') return { ambiguous: false, utc };
  const ambiguous = fits.some((f) => f !== best && f.day && best.day && f.day !== best.day);
  const format = best.format === '%Y%m%d' ? best.format : withTime(best.format, sample[0]);
  return { format, ambiguous, utc };
}

/** YYYYMMDD integers (CDNOW's dates). */
export function looksLikeYyyymmdd(values: number[]): boolean {
  return (
    values.length > 0 &&
    values.every(
      (v) =>
        Number.isInteger(v) && /^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(String(v)),
    )
  );
}

/** Unix times in seconds or milliseconds within 2000–2040. */
export function epochUnit(values: number[]): 'epoch_s' | 'epoch_ms' | undefined {
  if (values.length === 0 || !values.every(Number.isInteger)) return undefined;
  if (values.every((v) => v >= 946_684_800 && v <= 2_208_988_800)) return 'epoch_s';
  if (values.every((v) => v >= 946_684_800_000 && v <= 2_208_988_800_000)) return 'epoch_ms';
  return undefined;
}

/** Text amounts: "£1,234.50", "1.234,50 €", "(12.00)". Returns the decimal mark, or undefined if not amounts. */
export function guessNumberText(values: string[]): '.' | ',' | undefined {
  const sample = values.map((v) => v.trim()).filter(Boolean);
  if (sample.length === 0) return undefined;
  const shape = /^\(?[-+]?\s*[$€£¥]?\s*[-+]?\d[\d.,\s']*\s*(?:[$€£¥]|[A-Z]{3})?\)?-?$/;
  if (sample.filter((v) => shape.test(v)).length < Math.ceil(sample.length * 0.95))
    return undefined;
  // A comma followed by exactly two digits at the end, with no dot after it, is a decimal comma.
  const commaDecimal = sample.filter((v) => /,\d{1,2}\D*$/.test(v) && !/\.\d+,/.test(v)).length;
  const dotDecimal = sample.filter((v) => /\.\d{1,2}\D*$/.test(v)).length;
  return commaDecimal > dotDecimal ? ',' : '.';
}

/** Normalised header text for matching: lower case, letters and digits only. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
