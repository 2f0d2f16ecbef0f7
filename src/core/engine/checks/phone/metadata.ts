import { Metadata, type CountryCode } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/max/metadata';

/**
 * libphonenumber-js's max metadata, compiled once for the fast judge (plan.ts): every pattern
 * becomes one RegExp, anchored as the library anchors it when it tests it. Read through the
 * library's own `Metadata` reader, so its defaults hold (the national prefix standing in for a
 * missing prefix-for-parsing, a type's possible lengths falling back to the plan's). Plans are
 * reachable by calling code (`callingCodes`, for `+` numbers) and by country (`countries`, for
 * national numbers read with a default country). The library version this mirrors is index.ts's.
 */

export interface NumberType {
  readonly pattern: RegExp;
  readonly lengths: readonly number[];
}

export interface NumberingPlan {
  readonly nationalNumber: RegExp;
  /**
   * Possible lengths' first and last entries, the two `checkNumberLength` compares first (NaN for
   * an empty list, which then admits no length, as there).
   */
  readonly firstLength: number;
  readonly lastLength: number;
  readonly lengths: readonly number[];
  readonly prefixForParsing: RegExp | undefined;
  readonly transformRule: string | undefined;
  readonly leadingDigits: RegExp | undefined;
  readonly hasTypes: boolean;
  /** Number types with a pattern, in `getNumberType`'s order. */
  readonly types: readonly NumberType[];
}

export interface CallingCode {
  readonly code: string;
  /** The plan the library selects for the calling code alone: its first country's, or the non-geographic one. */
  readonly main: NumberingPlan;
  /** The countries sharing the code, main one first; empty for a non-geographic code. */
  readonly countries: readonly NumberingPlan[];
}

/** A country's plan, as a default country selects it for a number written without `+`. */
export interface Country {
  /** ISO 3166-1 alpha-2, as the metadata spells it (upper case). */
  readonly code: string;
  /** The same object as in its calling code's `countries`. */
  readonly plan: NumberingPlan;
  readonly callingCode: CallingCode;
  /** The international (IDD) prefix dialled from the country, matched at the start (stripIddPrefix). */
  readonly iddPrefix: RegExp | undefined;
}

// The library's numbering-plan reader; its typings declare only part of what it has.
interface PlanReader {
  nationalNumberPattern(): string;
  possibleLengths(): number[] | undefined;
  nationalPrefixForParsing(): string | 0 | undefined;
  nationalPrefixTransformRule(): string | 0 | undefined;
  leadingDigits(): string | 0 | undefined;
  hasTypes(): boolean;
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
  IDDPrefix(): string | 0 | undefined;
}

// getNumberType: fixed line first, then the others in this order.
const TYPE_ORDER = [
  'FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST',
  'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL',
];

// NANP countries repeat the same toll-free and premium patterns: one RegExp each (no `g`/`y`
// flag, so a shared RegExp keeps no state between tests).
const compiled = new Map<string, RegExp>();
function regExp(source: string): RegExp {
  let re = compiled.get(source);
  if (re === undefined) compiled.set(source, (re = new RegExp(source)));
  return re;
}
/** As `matchesEntirely` tests a pattern. */
const entire = (pattern: string): RegExp => regExp(`^(?:${pattern})$`);
/**
 * As the national prefix is matched, and as leading digits and an IDD prefix must match at the
 * start (`search(pattern) === 0` finds the same match as the pattern anchored there).
 */
const leading = (pattern: string | 0 | undefined): RegExp | undefined =>
  pattern ? regExp(`^(?:${pattern})`) : undefined;

function lengthsOf(lengths: number[] | undefined, where: string): readonly number[] {
  // Metadata older than the library's v2 format has none; the checks below assume them.
  if (lengths === undefined) throw new Error(`libphonenumber-js metadata without possible lengths (${where})`);
  return lengths;
}

function compilePlan(reader: PlanReader, where: string): NumberingPlan {
  const lengths = lengthsOf(reader.possibleLengths(), where);
  const types: NumberType[] = [];
  for (const name of TYPE_ORDER) {
    const type = reader.type(name);
    // An empty pattern is a type folded into another (US mobiles into fixed lines): never a match.
    if (type !== undefined && type.pattern() !== '') {
      types.push({ pattern: entire(type.pattern()), lengths: lengthsOf(type.possibleLengths(), where) });
    }
  }
  return {
    nationalNumber: entire(reader.nationalNumberPattern()),
    firstLength: lengths[0] ?? Number.NaN,
    lastLength: lengths[lengths.length - 1] ?? Number.NaN,
    lengths,
    prefixForParsing: leading(reader.nationalPrefixForParsing()),
    transformRule: reader.nationalPrefixTransformRule() || undefined,
    leadingDigits: leading(reader.leadingDigits()),
    hasTypes: reader.hasTypes(),
    types,
  };
}

function readerOf(selector: string): PlanReader {
  const reader = new Metadata(metadata);
  // A calling code selects a non-geographic plan; the typings only admit country codes.
  reader.selectNumberingPlan(selector as CountryCode);
  return reader.numberingPlan as unknown as PlanReader;
}

/** The compiled plans, by calling code and by country. */
export interface PhonePlans {
  /** Calling codes by numeric value (1–999): codes never start with 0, so values cannot collide. */
  readonly callingCodes: readonly (CallingCode | undefined)[];
  /** Countries by ISO alpha-2 code: those the library accepts as a default country (isSupportedCountry). */
  readonly countries: ReadonlyMap<string, Country>;
}

/**
 * Compiles the installed max metadata. Called by the judge's chooser (index.ts) only when the
 * installed library is the mirrored version, so metadata of a version this was not written for
 * (where the checks below would throw) is never compiled.
 */
export function compilePlans(): PhonePlans {
  const countries = new Map<string, Country>();
  const byValue = new Array<CallingCode | undefined>(1000);
  for (const [code, codes] of Object.entries(metadata.country_calling_codes)) {
    const readers = codes.map(readerOf);
    const plans = readers.map((reader, i) => compilePlan(reader, codes[i] as string));
    const callingCode: CallingCode = { code, main: plans[0] as NumberingPlan, countries: plans };
    byValue[Number(code)] = callingCode;
    codes.forEach((country, i) => {
      countries.set(country, {
        code: country,
        plan: plans[i] as NumberingPlan,
        callingCode,
        iddPrefix: leading((readers[i] as PlanReader).IDDPrefix()),
      });
    });
  }
  for (const code of Object.keys(metadata.nonGeographic)) {
    byValue[Number(code)] = { code, main: compilePlan(readerOf(code), code), countries: [] };
  }
  // isSupportedCountry() admits every country of the metadata: each must have been reached.
  for (const country of Object.keys(metadata.countries)) {
    if (!countries.has(country)) throw new Error(`libphonenumber-js metadata: ${country} has no calling code`);
  }
  compiled.clear();
  return { callingCodes: byValue, countries };
}
