import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { RecentVerdicts } from './recent.js';

// SPEC §5 Phones: international form only, formatting characters allowed, no letters (`ext.`,
// `tel:`): those would otherwise be parsed away by libphonenumber.
const INTERNATIONAL = /^\+[0-9 ().-]+$/;
const E164 = /^\+[1-9]\d{1,14}$/;

// Parsing with full metadata costs ~15 µs, and the record's schema check asks again.
const recent = new RecentVerdicts<string | null>();

function parse(trimmed: string): string | null {
  const parsed = parsePhoneNumberFromString(trimmed);
  return parsed !== undefined && parsed.isValid() ? parsed.number : null;
}

/** The E.164 form of a valid international phone number, else undefined. */
export function toE164(value: string): string | undefined {
  const trimmed = value.trim();
  if (!INTERNATIONAL.test(trimmed)) return undefined;
  return recent.get(trimmed, parse) ?? undefined;
}

export function isE164(value: string): boolean {
  return E164.test(value) && toE164(value) === value;
}
