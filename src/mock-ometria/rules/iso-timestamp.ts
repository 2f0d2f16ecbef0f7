// Ometria's timestamps are ISO 8601 date-times. The mock writes its own check rather than using
// the service's, so that the two can disagree in a test: extended date, "T", hours and minutes,
// optional seconds and fraction, optional "Z" or ±HH[:MM] offset (the docs do not require one).
const SHAPE = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?(?:Z|[+-](\d\d)(?::?(\d\d))?)?$/;

/** True for an ISO 8601 date-time that names a real instant (no 30 February, no 25:00). */
export function isIsoTimestamp(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = SHAPE.exec(value);
  if (match === null) return false;
  const part = (index: number) => Number(match[index] ?? 0);
  const [year, month, day] = [part(1), part(2) - 1, part(3)];
  // setUTCFullYear, not Date.UTC, which would read years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  const realDay = date.getUTCFullYear() === year && date.getUTCMonth() === month && date.getUTCDate() === day;
  return realDay && part(4) <= 23 && part(5) <= 59 && part(6) <= 59 && part(7) <= 23 && part(8) <= 59;
}
