import { DateTime } from 'luxon';

// Extended calendar date and time only, then luxon must accept it as a real instant
// (no 30 February). Week/ordinal dates, basic format and a space separator are refused.
const EXTENDED_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d(?::?\d\d)?)?$/;

/**
 * For text of this shape, luxon's verdict (`DateTime.fromISO(value, { setZone: true }).isValid`)
 * depends only on the calendar fields: it accepts any ±HH[:MM] offset and any fraction, and it
 * judges the date (year, month, day) and the time of day (hour, minute, second) separately. So
 * luxon is asked once per distinct day and once per distinct time of day, and its verdicts are
 * kept: real traffic has few distinct days, and there are at most 10⁶ times of day of this shape
 * (test/core/checks.test.ts compares the result with fromISO over a corpus, and the split with
 * DateTime.utc over every time of day).
 */
export function isIsoDateTime(value: string): boolean {
  if (!EXTENDED_DATE_TIME.test(value)) return false;
  const day = digits(value, 0, 4) * 10_000 + digits(value, 5, 2) * 100 + digits(value, 8, 2);
  const seconds = value.length > 16 && value.charCodeAt(16) === COLON ? digits(value, 17, 2) : 0;
  return isRealDay(day) && isRealTime(digits(value, 11, 2) * 10_000 + digits(value, 14, 2) * 100 + seconds);
}

const COLON = 58;
const ZERO = 48;

/** The decimal number written by `length` ASCII digits at `start` (the shape guarantees digits). */
function digits(text: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) n = n * 10 + text.charCodeAt(i) - ZERO;
  return n;
}

// Day verdicts, keyed yyyymmdd; cleared when full so a flood of odd dates cannot grow it.
const DAY_VERDICTS = new Map<number, boolean>();
const MAX_DAYS = 10_000;

function isRealDay(day: number): boolean {
  let verdict = DAY_VERDICTS.get(day);
  if (verdict === undefined) {
    verdict = DateTime.utc(Math.floor(day / 10_000), Math.floor(day / 100) % 100, day % 100).isValid;
    if (DAY_VERDICTS.size >= MAX_DAYS) DAY_VERDICTS.clear();
    DAY_VERDICTS.set(day, verdict);
  }
  return verdict;
}

// Time-of-day verdicts, indexed hhmmss (every two-digit field, 00–99): 0 not asked yet, 1 real, 2 not.
const TIME_VERDICTS = new Uint8Array(1_000_000);

function isRealTime(time: number): boolean {
  let verdict = TIME_VERDICTS[time] as number;
  if (verdict === 0) {
    const real = DateTime.utc(2000, 1, 1, Math.floor(time / 10_000), Math.floor(time / 100) % 100, time % 100).isValid;
    verdict = real ? 1 : 2;
    TIME_VERDICTS[time] = verdict;
  }
  return verdict === 1;
}
