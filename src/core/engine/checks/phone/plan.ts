import type { PhoneJudge } from './index.js';
import type { CallingCode, Country, NumberingPlan, PhonePlans } from './metadata.js';

/**
 * The fast judge: libphonenumber-js/max's steps (listed in index.ts's header, with the version
 * they mirror) on the patterns compiled once by metadata.ts, without the library's per-call RegExp
 * building, metadata wrapping and the extension/RFC 3966 handling that the judge's domain (strings
 * matching /^\+?[0-9 ().-]+$/, a default country as an upper-case ISO alpha-2 code or undefined)
 * cannot need. test/core/phone-plan.test.ts holds it to the library's answers.
 */

// parse(): longer input is refused unread; national numbers outside 2–17 digits are discarded.
const MAX_INPUT_LENGTH = 250;
const MIN_NATIONAL_LENGTH = 2;
const MAX_NATIONAL_LENGTH = 17;
const MAX_CALLING_CODE_LENGTH = 3;
const ZERO = 48;
const PLUS = 43;

/**
 * The fast judge over compiled plans. The three steps that look plans up close over them; the
 * rest (below) is given the calling code and plan it works on.
 */
export function createFastJudge(plans: PhonePlans): PhoneJudge {
  const { callingCodes, countries } = plans;

  function judgePhone(trimmed: string, country?: string): string | null {
    if (trimmed.length > MAX_INPUT_LENGTH) return null;
    if (trimmed.charCodeAt(0) !== PLUS) {
      // Without `+` the number is national (or dialled from the default country): no default
      // country, or one the metadata lacks (the library then drops it), leaves nothing to read it by.
      const known = country === undefined ? undefined : countries.get(country);
      return known === undefined ? null : judgeFromCountry(known, trimmed);
    }
    const digits = digitsOf(trimmed, 1);
    // isViablePhoneNumber: at least three digits.
    if (digits.length < 3) return null;
    return judgeInternational(digits);
  }

  /**
   * extractCountryCallingCode() on the digits after `+` (or after an IDD prefix): no code starts
   * with 0; else the shortest of the 1-, 2- and 3-digit prefixes that is a calling code (no code is
   * a prefix of another), whose main plan then reads the rest.
   */
  function judgeInternational(digits: string): string | null {
    if (digits.charCodeAt(0) === ZERO) return null;
    let value = 0;
    for (let length = 1; length <= MAX_CALLING_CODE_LENGTH && length <= digits.length; length++) {
      value = value * 10 + digits.charCodeAt(length - 1) - ZERO;
      const callingCode = callingCodes[value];
      if (callingCode !== undefined) return judgeNational(callingCode, callingCode.main, digits.slice(length));
    }
    return null;
  }

  /** A value without `+`, read with a default country that has a plan. */
  function judgeFromCountry(country: Country, trimmed: string): string | null {
    const digits = digitsOf(trimmed, 0);
    // isViablePhoneNumber: at least three digits, or exactly two written together (`12`, `(12)`,
    // not `1 2`): extractFormattedPhoneNumber() keeps first to last digit, which must then be `\d{2}`
    // (with only two digits, the value holds them as one string exactly when they are together).
    if (digits.length < 3 && (digits.length < 2 || !trimmed.includes(digits))) return null;
    const { plan, callingCode } = country;
    // stripIddPrefix(): the default country's IDD prefix makes the rest an international number,
    // unless nothing or a 0 follows it (an empty match strips nothing).
    const idd = country.iddPrefix?.exec(digits);
    if (idd != null) {
      const at = idd[0].length;
      if (at > 0 && at < digits.length && digits.charCodeAt(at) !== ZERO) return judgeInternational(digits.slice(at));
    }
    // extractCountryCallingCodeFromInternationalNumberWithoutPlusSign(): digits starting with the
    // country's calling code lose it when the national reading (default country's plan) does not
    // match the national pattern and the shorter one does, or when the national reading is too long.
    const { code } = callingCode;
    if (digits.startsWith(code)) {
      const shorter = digits.slice(code.length);
      const whole = stripNationalPrefix(callingCode, plan, digits).number;
      if (
        (!plan.nationalNumber.test(whole) && plan.nationalNumber.test(stripNationalPrefix(callingCode, plan, shorter).number)) ||
        // checkNumberLength() === 'TOO_LONG' (the lengths are in ascending order)
        whole.length > plan.lastLength
      ) {
        return judgeNational(callingCode, callingCode.main, shorter);
      }
    }
    return judgeNational(callingCode, plan, digits);
  }

  /** isSupportedCountry(): a default country the library would read national numbers with. */
  function hasNumberingPlan(country: string): boolean {
    return countries.has(country);
  }

  return { kind: 'fast', judgePhone, hasNumberingPlan };
}

/**
 * The national part read with the selected plan (the calling code's main plan, or the default
 * country's for a national number): national prefix off, length bounds, then validity.
 */
function judgeNational(callingCode: CallingCode, selected: NumberingPlan, number: string): string | null {
  if (number === '') return null;
  const national = stripNationalPrefix(callingCode, selected, number);
  const nationalNumber = national.number;
  if (nationalNumber.length < MIN_NATIONAL_LENGTH || nationalNumber.length > MAX_NATIONAL_LENGTH) {
    return null;
  }
  const country = national.stripped ? national.country : countryOf(callingCode, nationalNumber);
  // isValid(): the exact country's plan, else the selected one (the default country's, or the
  // calling code's); a plan without types is judged by its national number pattern alone.
  const plan = country ?? selected;
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
 * extractNationalNumber(): a national number starts with the national prefix (or carrier code),
 * and people write one after the calling code too, e.g. +44 (0) 20…, so the selected plan's
 * prefix-for-parsing is taken off (or its captured groups rewritten by the transform rule), unless
 * that turns a number matching the national pattern into one that does not (RU 8 800…), or leaves
 * a length the country cannot have (the exact country found for it, else the selected plan's).
 */
function stripNationalPrefix(callingCode: CallingCode, selected: NumberingPlan, number: string): National {
  // An empty number is left as it is (`number &&`); no prefix pattern matches it to any effect.
  const match = number === '' ? null : selected.prefixForParsing?.exec(number);
  if (match == null) return { number, stripped: false, country: undefined };
  // Only the last group decides whether the groups "matched" (they carry the national number).
  const lastGroup = match.length - 1;
  const transform = selected.transformRule !== undefined && lastGroup > 0 && Boolean(match[lastGroup]);
  const stripped = transform
    ? number.replace(selected.prefixForParsing as RegExp, selected.transformRule as string)
    : number.slice(match[0].length);
  if (
    stripped === number ||
    (selected.nationalNumber.test(number) && !selected.nationalNumber.test(stripped))
  ) {
    return { number, stripped: false, country: undefined };
  }
  const country = countryOf(callingCode, stripped);
  if (!isPossibleLength(country ?? selected, stripped.length)) return { number, stripped: false, country: undefined };
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

/**
 * parseIncompletePhoneNumber(): the digits from `from` on (1 after a leading `+`), every other
 * character of the domain being punctuation.
 */
function digitsOf(text: string, from: number): string {
  let digits = '';
  let run = -1;
  for (let i = from; i < text.length; i++) {
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
