// The library's one date reader. Every date is read as UTC, whatever the machine's time zone, so a fit, a forecast
// and a CLV summary give the same days on a laptop in Tokyo and a server in UTC.

/** Milliseconds in a day. */
export const MS_PER_DAY = 86_400_000;

const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SLASHED = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;

/**
 * Epoch milliseconds of a date value, read as UTC; NaN when it is not a date.
 * @remarks
 * Accepts `Date` objects, epoch milliseconds, ISO dates (`2024-01-29`), ISO date-times without a zone
 * (`2024-01-29T10:30`, `2024-01-29 10:30:15`: UTC, where `Date.parse` would take local time), ISO date-times with a
 * zone (`…Z`, `…+02:00`: that instant), `20240129` and `2024/01/29`. Other strings (`01/29/2024`, `Jan 29 2024`)
 * are ambiguous across locales and give NaN.
 * @example
 * parseDate('2024-01-29T00:00'); // 1706486400000, in every time zone
 */
export function parseDate(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return Number.isFinite(v) ? v : Number.NaN;
  if (typeof v !== 'string') return Number.NaN;
  const s = v.trim();
  const iso = ISO_LOCAL.exec(s);
  if (iso) return utc(+iso[1], +iso[2], +iso[3], +(iso[4] ?? 0), +(iso[5] ?? 0), +(iso[6] ?? 0), +(iso[7] ?? '0').padEnd(3, '0'));
  const ymd = COMPACT.exec(s) ?? SLASHED.exec(s);
  if (ymd) return utc(+ymd[1], +ymd[2], +ymd[3], 0, 0, 0, 0);
  // an explicit zone names one instant wherever the code runs
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/i.test(s)) return Date.parse(s);
  return Number.NaN;
}

/** Date.UTC of the fields, NaN when a field is out of range (2024-02-30 is not a date). @internal */
function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
    return Number.NaN;
  return t;
}

/** The UTC day number (days since 1970-01-01) of a date value, or NaN. */
export function dayNumber(v: unknown): number {
  const ms = parseDate(v);
  return Number.isFinite(ms) ? Math.floor(ms / MS_PER_DAY) : Number.NaN;
}

/** The ISO date (YYYY-MM-DD, UTC) of epoch milliseconds. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
