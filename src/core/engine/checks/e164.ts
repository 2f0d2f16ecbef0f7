import { hasNumberingPlan, judgePhone } from './phone/index.js';

// Formatting characters only, no letters (`ext.`, `tel:`): those would otherwise be parsed away
// by libphonenumber.
const PHONE = /^\+?[0-9 ().-]+$/;
const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * The E.164 form of a valid phone number, else undefined: libphonenumber-js/max's verdict
 * (`parsePhoneNumberFromString(value, country).isValid()`), given by the phone judge (phone/index.ts:
 * its own metadata compiled once, or the library itself when the installed version is not the one
 * mirrored; test/core/phone-plan.test.ts holds the two to the same answers). A value
 * starting with `+` is international; any other is national and is read in `country` (the
 * contact's, else the service's default), so without a country it is invalid.
 */
export function toE164(value: string, country: string | undefined): string | undefined {
  const trimmed = value.trim();
  if (!PHONE.test(trimmed)) return undefined;
  if (trimmed.charCodeAt(0) !== PLUS && country === undefined) return undefined;
  return judgePhone(trimmed, country) ?? undefined;
}

const PLUS = 43;

/** Which of the three reasons makes a phone value invalid (docs/MAPPING.md, "Checks"). */
export function phoneProblem(value: string, country: string | undefined): string {
  const trimmed = value.trim();
  if (!PHONE.test(trimmed) || trimmed.charCodeAt(0) === PLUS) return 'not a valid phone number';
  if (country === undefined) return "a national number and the contact's country is unknown";
  if (!hasNumberingPlan(country)) return `no phone numbering plan for ${country}`;
  return 'not a valid phone number';
}

/**
 * The `e164` format of record schemas: E.164's shape. Whether the number is valid is the mapping
 * row's check (toE164), the only way a phone reaches a record.
 */
export function isE164(value: string): boolean {
  return E164.test(value);
}
