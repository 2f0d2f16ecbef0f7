import { IANAZone } from 'luxon';

// Only valid names are kept: there are a few hundred, so hostile input cannot grow the memo.
const VALID = new Set<string>();

/**
 * An IANA time zone name as luxon judges it (`IANAZone.isValidZone`: `Europe/London`), written as
 * received; offsets and abbreviations (`GMT+0100`, `+05:30`) are not zone names.
 */
export function toTimeZone(value: string): string | undefined {
  if (VALID.has(value)) return value;
  if (!IANAZone.isValidZone(value)) return undefined;
  VALID.add(value);
  return value;
}
