import { CALLING_CODES, type CallingCode, type NumberingPlan } from './phone-metadata.js';

/**
 * What `parsePhoneNumberFromString(trimmed)` then `isValid()` answer (libphonenumber-js/max), the
 * E.164 text or null, for strings matching /^\+[0-9 ().-]+$/, at a fraction of the cost: the same
 * steps on patterns compiled once (phone-metadata.ts), without the library's per-call RegExp
 * building, metadata wrapping and extension/RFC 3966 handling, which such strings cannot need.
 * test/core/phone-plan.test.ts holds it to the library's answers.
 */

// parse(): longer input is refused unread; national numbers outside 2–17 digits are discarded.
const MAX_INPUT_LENGTH = 250;
const MIN_NATIONAL_LENGTH = 2;
const MAX_NATIONAL_LENGTH = 17;
const MAX_CALLING_CODE_LENGTH = 3;
const ZERO = 48;

export function judgePhone(trimmed: string): string | null {
  if (trimmed.length > MAX_INPUT_LENGTH) return null;
  const digits = digitsOf(trimmed);
  // isViablePhoneNumber: at least three digits.
  if (digits.length < 3) return null;
  // extractCountryCallingCode(): no code starts with 0; else the shortest of the 1-, 2- and
  // 3-digit prefixes that is a calling code (no code is a prefix of another).
  if (digits.charCodeAt(0) === ZERO) return null;
  let value = 0;
  for (let length = 1; length <= MAX_CALLING_CODE_LENGTH; length++) {
    value = value * 10 + digits.charCodeAt(length - 1) - ZERO;
    const callingCode = CALLING_CODES[value];
    if (callingCode !== undefined) return judgeNational(callingCode, digits.slice(length));
  }
  return null;
}

function judgeNational(callingCode: CallingCode, number: string): string | null {
  if (number === '') return null;
  const national = stripNationalPrefix(callingCode, number);
  const nationalNumber = national.number;
  if (nationalNumber.length < MIN_NATIONAL_LENGTH || nationalNumber.length > MAX_NATIONAL_LENGTH) {
    return null;
  }
  const country = national.stripped ? national.country : countryOf(callingCode, nationalNumber);
  // isValid(): the exact country's plan, else the calling code's; a plan without types is
  // judged by its national number pattern alone.
  const plan = country ?? callingCode.main;
  const valid = plan.hasTypes ? hasSomeType(plan, nationalNumber) : plan.nationalNumber.test(nationalNumber);
  return valid ? `+${callingCode.code}${nationalNumber}` : null;
}

interface National {
  readonly number: string;
  readonly stripped: boolean;
  /** When stripped: the country found for the stripped number, which parse() would find again. */
  readonly country: NumberingPlan | undefined;
}

/**
 * extractNationalNumber(): people write a national prefix (or carrier code) after the calling
 * code, e.g. +44 (0) 20…, so the main plan's prefix-for-parsing is taken off (or its captured
 * groups rewritten by the transform rule), unless that turns a number matching the national
 * pattern into one that does not (RU 8 800…), or leaves a length the country cannot have.
 */
function stripNationalPrefix(callingCode: CallingCode, number: string): National {
  const { main } = callingCode;
  const match = main.prefixForParsing?.exec(number);
  if (match == null) return { number, stripped: false, country: undefined };
  // Only the last group decides whether the groups "matched" (they carry the national number).
  const lastGroup = match.length - 1;
  const transform = main.transformRule !== undefined && lastGroup > 0 && Boolean(match[lastGroup]);
  const stripped = transform
    ? number.replace(main.prefixForParsing as RegExp, main.transformRule as string)
    : number.slice(match[0].length);
  if (
    stripped === number ||
    (main.nationalNumber.test(number) && !main.nationalNumber.test(stripped))
  ) {
    return { number, stripped: false, country: undefined };
  }
  const country = countryOf(callingCode, stripped);
  if (!isPossibleLength(country ?? main, stripped.length)) return { number, stripped: false, country: undefined };
  return { number: stripped, stripped: true, country };
}

/** checkNumberLength() as the stripping uses it: only TOO_SHORT and INVALID_LENGTH undo it. */
function isPossibleLength(plan: NumberingPlan, length: number): boolean {
  if (length === plan.firstLength) return true;
  if (length < plan.firstLength) return false;
  return length > plan.lastLength || plan.lengths.includes(length);
}

/**
 * getCountryByCallingCode(): the only country, else the first (main first) whose leading digits
 * start the number or, for a country without leading digits, whose number types match it.
 */
function countryOf(callingCode: CallingCode, nationalNumber: string): NumberingPlan | undefined {
  const { countries } = callingCode;
  if (countries.length < 2) return countries[0];
  for (const country of countries) {
    if (country.leadingDigits !== undefined) {
      // `search(leadingDigits) === 0`, an empty number skipped.
      if (nationalNumber !== '' && country.leadingDigits.test(nationalNumber)) return country;
    } else if (hasSomeType(country, nationalNumber)) {
      return country;
    }
  }
  return undefined;
}

/** getNumberType() !== undefined: the national pattern, then any type of a possible length. */
function hasSomeType(plan: NumberingPlan, nationalNumber: string): boolean {
  if (!plan.nationalNumber.test(nationalNumber)) return false;
  const { length } = nationalNumber;
  for (const type of plan.types) {
    if (type.lengths.includes(length) && type.pattern.test(nationalNumber)) return true;
  }
  return false;
}

/** The digits after the leading `+`: every other character of the domain is punctuation. */
function digitsOf(text: string): string {
  let digits = '';
  let run = -1;
  for (let i = 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= ZERO && code <= ZERO + 9) {
      if (run < 0) run = i;
    } else if (run >= 0) {
      digits += text.slice(run, i);
      run = -1;
    }
  }
  return run < 0 ? digits : digits + text.slice(run);
}
