import { judgePhone } from './phone-plan.js';

// International form only, formatting characters allowed, no letters (`ext.`,
// `tel:`): those would otherwise be parsed away by libphonenumber.
const INTERNATIONAL = /^\+[0-9 ().-]+$/;
const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * The E.164 form of a valid international phone number, else undefined: libphonenumber-js/max's
 * verdict (`parsePhoneNumberFromString(value).isValid()`), given by its own metadata compiled once
 * (phone-plan.ts; test/core/phone-plan.test.ts holds the two to the same answers).
 */
export function toE164(value: string): string | undefined {
  const trimmed = value.trim();
  if (!INTERNATIONAL.test(trimmed)) return undefined;
  return judgePhone(trimmed) ?? undefined;
}

/**
 * The `e164` format of record schemas: E.164's shape. Whether the number is valid is the mapping
 * row's check (toE164), the only way a phone reaches a record.
 */
export function isE164(value: string): boolean {
  return E164.test(value);
}
