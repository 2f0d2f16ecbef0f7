import { DateTime } from 'luxon';

// SPEC §5: extended calendar date and time only, then luxon must accept it as a real instant
// (no 30 February). Week/ordinal dates, basic format and a space separator are refused.
const EXTENDED_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;

export function isIsoDateTime(value: string): boolean {
  return EXTENDED_DATE_TIME.test(value) && DateTime.fromISO(value, { setZone: true }).isValid;
}
