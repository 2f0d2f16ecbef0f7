/**
 * The fast phone judge (src/core/engine/checks/phone/plan.ts, as chosen for the mirrored library version)
 * against libphonenumber-js itself, the snippet it replaces, on seeded generated input: same
 * verdict and same E.164 text for every string and default country, or the failure names the
 * input, the country and both answers. PHONE_PLAN_SEED=n PHONE_PLAN_CASES=n (international `+`
 * numbers, no country) and PHONE_PLAN_NATIONAL_CASES=n (national numbers, IDD and calling-code
 * forms, `+` numbers, each judged with or without a default country) explore other runs (past
 * ~1.5 million cases in all, also `-t 0`: tap's timeout is 120 s).
 *
 * Valid numbers come from the library's mobile examples and from strings sampled from every number
 * type's pattern of every plan (the package ships examples for mobiles only, so fixed lines, toll
 * free and the rest are sampled), then mutated and formatted.
 */
import t from 'tap';
import { Metadata, type CountryCode } from 'libphonenumber-js/core';
import { getExampleNumber, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import metadata from 'libphonenumber-js/max/metadata';
import examples from 'libphonenumber-js/mobile/examples';
import { choosePhoneJudge, MIRRORED_VERSION } from '../../src/core/engine/checks/phone/index.js';
import { mulberry32 } from '../helpers/prng.js';

/** International numbers, the first differential's inputs. */
const DOMAIN = /^\+[0-9 ().-]+$/;
/** judgePhone's whole domain: national numbers too. */
const NATIONAL_DOMAIN = /^\+?[0-9 ().-]+$/;
const SEED = Number(process.env.PHONE_PLAN_SEED ?? 20240601);
const CASES = Number(process.env.PHONE_PLAN_CASES ?? 150_000);
const NATIONAL_CASES = Number(process.env.PHONE_PLAN_NATIONAL_CASES ?? 300_000);
const MAX_MISMATCHES = 20;

// The fast judge itself: were the installed library another version, the exported judgePhone would
// be the library's own and these tests would compare it with itself.
const { judgePhone, hasNumberingPlan } = choosePhoneJudge(MIRRORED_VERSION);

function library(trimmed: string, country?: string): string | null {
  const parsed = parsePhoneNumberFromString(trimmed, country as CountryCode | undefined);
  return parsed !== undefined && parsed.isValid() ? parsed.number : null;
}

// Each differential draws from its own stream of the seed, so either runs the same alone.
let random = mulberry32(SEED);
const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
const digit = (): string => String(int(0, 9));
const randomDigits = (n: number): string => Array.from({ length: n }, digit).join('');

// ---- strings matching a metadata pattern (its syntax: digits, \d, [..], (?:..), (..), |, ?, {n,m}, $) ----
type Node =
  | { kind: 'alt'; options: Node[][] }
  | { kind: 'chars'; chars: string }
  | { kind: 'repeat'; node: Node; min: number; max: number };

function parsePattern(source: string): Node {
  let at = 0;
  function alternation(): Node {
    const options: Node[][] = [[]];
    while (at < source.length && source[at] !== ')') {
      if (source[at] === '|') {
        at++;
        options.push([]);
        continue;
      }
      let node = atom();
      const quantifier = /^(?:\?|\*|\+|\{(\d+)(?:(,)(\d*))?\})/.exec(source.slice(at));
      if (quantifier !== null) {
        at += quantifier[0].length;
        const [q, min, comma, max] = quantifier;
        node =
          q === '?' ? { kind: 'repeat', node, min: 0, max: 1 }
          : q === '*' ? { kind: 'repeat', node, min: 0, max: 3 }
          : q === '+' ? { kind: 'repeat', node, min: 1, max: 3 }
          : { kind: 'repeat', node, min: Number(min), max: comma === undefined ? Number(min) : max ? Number(max) : Number(min) + 3 };
      }
      (options[options.length - 1] as Node[]).push(node);
    }
    return { kind: 'alt', options };
  }
  function atom(): Node {
    const c = source[at++] as string;
    if (c === '(') {
      if (source.startsWith('?:', at)) at += 2;
      const inner = alternation();
      at++; // ')'
      return inner;
    }
    if (c === '\\') {
      at++; // only \d occurs
      return { kind: 'chars', chars: '0123456789' };
    }
    if (c === '[') {
      let chars = '';
      while (source[at] !== ']') {
        const from = source.charCodeAt(at);
        if (source[at + 1] === '-' && source[at + 2] !== ']') {
          for (let code = from; code <= source.charCodeAt(at + 2); code++) chars += String.fromCharCode(code);
          at += 3;
        } else {
          chars += source[at++];
        }
      }
      at++;
      return { kind: 'chars', chars };
    }
    return { kind: 'chars', chars: c === '$' ? '' : c };
  }
  return alternation();
}

const parsed = new Map<string, Node>();
function sample(pattern: string): string {
  let node = parsed.get(pattern);
  if (node === undefined) parsed.set(pattern, (node = parsePattern(pattern)));
  return emit(node);
}
function emit(node: Node): string {
  switch (node.kind) {
    case 'chars':
      return node.chars === '' ? '' : (node.chars[int(0, node.chars.length - 1)] as string);
    case 'repeat': {
      let out = '';
      for (let n = int(node.min, node.max); n > 0; n--) out += emit(node.node);
      return out;
    }
    case 'alt':
      return pick(node.options).map(emit).join('');
  }
}

// ---- the metadata, read through the library's reader ----
interface Reader {
  nationalNumberPattern(): string;
  nationalPrefix(): string | 0 | undefined;
  nationalPrefixForParsing(): string | 0 | undefined;
  leadingDigits(): string | 0 | undefined;
  IDDPrefix(): string | 0 | undefined;
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}
const TYPES = ['FIXED_LINE', 'MOBILE', 'TOLL_FREE', 'PREMIUM_RATE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];

interface Plan {
  readonly code: string;
  /** ISO alpha-2, or the calling code for a non-geographic plan. */
  readonly country: string;
  readonly patterns: readonly string[];
  readonly nationalPattern: string;
  readonly nationalPrefix: string | undefined;
  readonly prefixForParsing: string | undefined;
  readonly leadingDigits: string | undefined;
  readonly iddPrefix: string | undefined;
}
function readPlan(selector: string, code: string): Plan {
  const reader = new Metadata(metadata);
  reader.selectNumberingPlan(selector as CountryCode);
  const plan = reader.numberingPlan as unknown as Reader;
  const patterns = TYPES.map((type) => plan.type(type)?.pattern() ?? '').filter((p) => p !== '');
  return {
    code,
    country: selector,
    patterns,
    nationalPattern: plan.nationalNumberPattern(),
    nationalPrefix: plan.nationalPrefix() || undefined,
    prefixForParsing: plan.nationalPrefixForParsing() || undefined,
    leadingDigits: plan.leadingDigits() || undefined,
    iddPrefix: plan.IDDPrefix() || undefined,
  };
}
const PLANS: Plan[] = [
  ...Object.entries(metadata.country_calling_codes).flatMap(([code, countries]) => countries.map((c) => readPlan(c, code))),
  ...Object.keys(metadata.nonGeographic).map((code) => readPlan(code, code)),
];
const CALLING_CODES = [...new Set(PLANS.map((p) => p.code))];
const SHARED = PLANS.filter((p) => (metadata.country_calling_codes[p.code]?.length ?? 0) > 1);
const NON_GEOGRAPHIC = PLANS.filter((p) => p.code in metadata.nonGeographic);
const WITH_PREFIX = PLANS.filter((p) => p.prefixForParsing !== undefined);
/** 1–3 digit codes that are no calling code and start with none. */
const UNASSIGNED = Array.from({ length: 999 }, (_, i) => String(i + 1)).filter(
  (code) => ![1, 2, 3].some((n) => CALLING_CODES.includes(code.slice(0, n))),
);
const MOBILE_EXAMPLES = Object.keys(examples).flatMap((country) => {
  const number = getExampleNumber(country as CountryCode, examples);
  return number === undefined ? [] : [{ code: number.countryCallingCode, national: number.nationalNumber, country }];
});

function validNational(plan: Plan): string {
  return sample(plan.patterns.length > 0 && random() < 0.9 ? pick(plan.patterns) : plan.nationalPattern);
}

// ---- mutations of a national number ----
function mutate(national: string, plan: Plan | undefined): string {
  const at = (): number => int(0, national.length);
  switch (int(0, 11)) {
    case 0: { // change 1–3 digits
      let s = national;
      for (let n = int(1, 3); n > 0 && s.length > 0; n--) {
        const i = int(0, s.length - 1);
        s = s.slice(0, i) + digit() + s.slice(i + 1);
      }
      return s;
    }
    case 1: { // drop 1–3 digits
      let s = national;
      for (let n = int(1, 3); n > 0 && s.length > 0; n--) {
        const i = int(0, s.length - 1);
        s = s.slice(0, i) + s.slice(i + 1);
      }
      return s;
    }
    case 2: { // add 1–3 digits
      let s = national;
      for (let n = int(1, 3); n > 0; n--) {
        const i = int(0, s.length);
        s = s.slice(0, i) + digit() + s.slice(i);
      }
      return s;
    }
    case 3: return national.slice(0, int(0, 3)); // very short
    case 4: return national + randomDigits(int(4, 12)); // very long
    case 5: return pick(['0', '00', '000']) + national; // leading zeros after the calling code
    case 6: return (plan?.nationalPrefix ?? '0') + national; // national prefix kept
    case 7: return (plan?.prefixForParsing !== undefined ? sample(plan.prefixForParsing) : '') + national;
    case 8: return national.slice(0, at()) + randomDigits(int(0, 2));
    case 9: { // swap two neighbours
      const i = int(0, Math.max(0, national.length - 2));
      return national.slice(0, i) + national.slice(i + 1, i + 2) + national.slice(i, i + 1) + national.slice(i + 2);
    }
    case 10: return (plan?.leadingDigits !== undefined ? sample(plan.leadingDigits) : '') + randomDigits(int(3, 9));
    default: return national;
  }
}

// ---- formatting: spaces, dashes, dots, parentheses, in places and runs ----
const SEPARATORS = [' ', ' ', ' ', '-', '.', '  ', ' - ', '--', '..', ' .', ') (', '(', ')', '()'];
function groups(digits: string, separator: () => string): string {
  let out = '';
  let i = 0;
  while (i < digits.length) {
    const size = int(1, 4);
    out += (i > 0 ? separator() : '') + digits.slice(i, i + size);
    i += size;
  }
  return out;
}
function format(code: string, national: string): string {
  const sep = pick(SEPARATORS.slice(0, 5));
  switch (int(0, 11)) {
    case 0: return `+${code}${national}`;
    case 1: return `+${code} ${groups(national, () => sep)}`;
    case 2: return `+${code} (${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`;
    case 3: return `+${code} (${national.slice(0, 1)}) ${groups(national.slice(1), () => ' ')}`;
    case 4: return `+${code}.${groups(national, () => '.')}`;
    case 5: return `+(${code})${groups(national, () => sep)}`;
    case 6: return `+ ${code} ${national}`;
    case 7: return `+${code}-${groups(national, () => '-')}`;
    case 8: return `+${code} (0) ${groups(national, () => ' ')}`;
    case 9: return `+${code}${groups(national, () => pick(SEPARATORS))}${pick(['', ')', '-', '.', ' )', '('])}`;
    case 10: { // punctuation anywhere, also inside the calling code
      const all = code + national;
      let out = '+';
      for (const c of all) out += (random() < 0.3 ? pick(SEPARATORS) : '') + c;
      return out;
    }
    default: return `+${code}${' '.repeat(int(240, 260))}${national}`; // around the 250-character limit
  }
}

// ---- the generators ----
type Generate = () => string;
const generators: [weight: number, name: string, generate: Generate][] = [
  [14, 'valid type numbers, formatted', () => {
    const plan = pick(PLANS);
    return format(plan.code, validNational(plan));
  }],
  [14, 'valid type numbers, mutated', () => {
    const plan = pick(PLANS);
    return format(plan.code, mutate(validNational(plan), plan));
  }],
  [8, 'mobile examples, formatted', () => {
    const e = pick(MOBILE_EXAMPLES);
    return format(e.code, e.national);
  }],
  [12, 'mobile examples, mutated', () => {
    const e = pick(MOBILE_EXAMPLES);
    const plan = PLANS.find((p) => p.code === e.code);
    return format(e.code, mutate(e.national, plan));
  }],
  [10, 'shared calling codes', () => {
    const plan = pick(SHARED);
    const national = validNational(plan);
    return format(plan.code, random() < 0.5 ? national : mutate(national, plan));
  }],
  [8, 'national prefix kept', () => {
    const plan = pick(WITH_PREFIX);
    const prefix = random() < 0.5 ? (plan.nationalPrefix ?? '') : sample(plan.prefixForParsing as string);
    return format(plan.code, prefix + validNational(plan));
  }],
  [4, 'non-geographic codes', () => {
    const plan = pick(NON_GEOGRAPHIC);
    return format(plan.code, random() < 0.6 ? validNational(plan) : mutate(validNational(plan), plan));
  }],
  [6, 'every calling code, any digits', () => format(pick(CALLING_CODES), randomDigits(int(0, 18)))],
  [4, 'unassigned calling codes', () => format(pick(UNASSIGNED), randomDigits(int(0, 14)))],
  [8, 'random digits of every length 1–20', () => {
    const digits = randomDigits(int(1, 20));
    return random() < 0.5 ? `+${digits}` : format(digits.slice(0, int(1, 3)), digits.slice(3));
  }],
  [2, 'punctuation-heavy', () => `+${groups(randomDigits(int(1, 16)), () => pick(SEPARATORS) + pick(SEPARATORS))}${pick(['', ' ', ')', '-'])}`],
];
const totalWeight = generators.reduce((sum, [w]) => sum + w, 0);

/** First a sweep: every calling code with nationals of every length 0–17, every type of every plan. */
function* sweep(): Generator<[string, string]> {
  for (const code of CALLING_CODES) {
    for (let length = 0; length <= 17; length++) yield ['sweep: calling codes × lengths', format(code, randomDigits(length))];
  }
  for (const plan of PLANS) {
    for (const pattern of plan.patterns) {
      for (let n = 0; n < 4; n++) yield ['sweep: plans × types', format(plan.code, sample(pattern))];
    }
  }
}

function* inputs(): Generator<[string, string]> {
  yield* sweep();
  for (;;) {
    let r = random() * totalWeight;
    const [, name, generate] = generators.find(([weight]) => (r -= weight) < 0) ?? (generators[0] as (typeof generators)[number]);
    yield [name, generate()];
  }
}


// ---- national numbers: written without `+`, judged with a default country or none ----
const COUNTRY_PLANS = PLANS.filter((p) => !(p.code in metadata.nonGeographic));
const COUNTRY_PLAN = new Map(COUNTRY_PLANS.map((p) => [p.country, p]));
const COUNTRIES = COUNTRY_PLANS.map((p) => p.country);
/** Countries sharing a calling code, by code: GB, GG, IM, JE; US, CA and the NANP; RU, KZ; … */
const SIBLINGS = new Map(Object.entries(metadata.country_calling_codes));
/** Codes a caller may pass that the metadata has no plan for (the library then ignores them). */
const NO_PLAN = ['AQ', 'EU', 'ZZ', 'XX', 'UN', 'BV', 'HM', 'TF', 'UM'].filter((c) => !isSupportedCountry(c as CountryCode));
const USUAL = ['GB', 'GG', 'JE', 'IM', 'US', 'CA', 'DE', 'FR', 'AU', 'NL', 'IT', 'ES', 'RU', 'KZ', 'BR', 'AR', 'MX', 'IN', 'CN', 'JP'];

/** The default country to judge a number with: mostly its own, else a neighbour's, any, none or one without a plan. */
function countryFor(plan: Plan | undefined): string | undefined {
  const r = random();
  if (plan !== undefined && COUNTRY_PLAN.has(plan.country)) {
    if (r < 0.5) return plan.country;
    if (r < 0.62) return pick(SIBLINGS.get(plan.code) ?? [plan.country]);
  }
  if (r < 0.75) return pick(COUNTRIES);
  if (r < 0.85) return pick(USUAL);
  if (r < 0.93) return pick(NO_PLAN);
  return undefined;
}

/** A national prefix as people write it, or none. */
function prefixOf(plan: Plan): string {
  const r = random();
  if (r < 0.45 && plan.nationalPrefix !== undefined) return plan.nationalPrefix;
  if (r < 0.6 && plan.prefixForParsing !== undefined) return sample(plan.prefixForParsing);
  return '';
}

/** A number written without `+`: punctuation in places, also leading, trailing and in runs. */
function formatNational(digits: string): string {
  if (digits === '') return pick(['()', '-', '.', '( )', '(-)']);
  const sep = pick(SEPARATORS.slice(0, 5));
  switch (int(0, 10)) {
    case 0: return digits;
    case 1: return groups(digits, () => sep);
    case 2: return `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
    case 3: return `(${digits.slice(0, int(1, 5))}) ${groups(digits.slice(5), () => ' ')}`;
    case 4: return groups(digits, () => '.');
    case 5: return `${groups(digits, () => pick(SEPARATORS))}${pick(['', ')', '-', '.', ' )', '('])}`;
    case 6: { // punctuation anywhere
      let out = '';
      for (const c of digits) out += (random() < 0.3 ? pick(SEPARATORS) : '') + c;
      return out;
    }
    case 7: return `${pick(['(', '-', '.', ')', '( ', '(-', '((', '.('])}${groups(digits, () => sep)}`;
    case 8: { // around the 250-character limit
      const at = int(1, digits.length);
      return `${digits.slice(0, at)}${' '.repeat(int(240, 260))}${digits.slice(at)}`;
    }
    case 9: return `${digits.slice(0, 1)} (${digits.slice(1, 4)}) ${digits.slice(4)}`;
    default: return groups(digits, () => sep);
  }
}

/** An international prefix: the usual ones, or one sampled from a country's IDD pattern. */
function iddOf(country: string | undefined): string {
  const plan = country === undefined ? undefined : COUNTRY_PLAN.get(country);
  const r = random();
  if (r < 0.5 && plan?.iddPrefix !== undefined) return sample(plan.iddPrefix);
  if (r < 0.65) return sample(pick(COUNTRY_PLANS).iddPrefix ?? '00');
  return pick(['00', '00', '011', '0011', '810', '010', '000', '001', '0']);
}

type Case = [name: string, input: string, country: string | undefined];
type GenerateCase = () => [input: string, country: string | undefined];
const nationalGenerators: [weight: number, name: string, generate: GenerateCase][] = [
  [14, 'national: type numbers', () => {
    const plan = pick(COUNTRY_PLANS);
    return [formatNational(prefixOf(plan) + validNational(plan)), countryFor(plan)];
  }],
  [12, 'national: type numbers, mutated', () => {
    const plan = pick(COUNTRY_PLANS);
    return [formatNational(prefixOf(plan) + mutate(validNational(plan), plan)), countryFor(plan)];
  }],
  [8, 'national: mobile examples', () => {
    const e = pick(MOBILE_EXAMPLES);
    const plan = COUNTRY_PLAN.get(e.country) as Plan;
    const national = random() < 0.7 ? e.national : mutate(e.national, plan);
    return [formatNational(prefixOf(plan) + national), countryFor(plan)];
  }],
  [10, 'national: shared calling codes, any sibling', () => {
    const plan = pick(SHARED.filter((p) => COUNTRY_PLAN.has(p.country)));
    const national = validNational(plan);
    const country = random() < 0.85 ? pick(SIBLINGS.get(plan.code) as string[]) : countryFor(plan);
    return [formatNational(prefixOf(plan) + (random() < 0.6 ? national : mutate(national, plan))), country];
  }],
  [6, 'national: prefix for parsing (carrier codes, transform rules)', () => {
    const plan = pick(WITH_PREFIX.filter((p) => COUNTRY_PLAN.has(p.country)));
    const national = random() < 0.7 ? validNational(plan) : mutate(validNational(plan), plan);
    return [formatNational(sample(plan.prefixForParsing as string) + national), random() < 0.8 ? plan.country : countryFor(plan)];
  }],
  [12, 'IDD prefix, calling code, national number', () => {
    const plan = pick(PLANS);
    const from = random() < 0.3 ? countryFor(undefined) : pick(COUNTRIES);
    const national = random() < 0.7 ? validNational(plan) : mutate(validNational(plan), plan);
    const tail = random() < 0.15 ? prefixOf(plan) + national : national;
    const idd = iddOf(from);
    const input = random() < 0.5 ? formatNational(idd + plan.code + tail) : `${idd} ${plan.code} ${formatNational(tail)}`;
    return [input, from];
  }],
  [3, 'IDD prefix followed by 0 or nothing', () => {
    const from = pick(COUNTRIES);
    return [formatNational(iddOf(from) + pick(['', '0', '0', '00']) + randomDigits(int(0, 12))), from];
  }],
  [10, 'calling code without +', () => {
    const plan = pick(COUNTRY_PLANS);
    const national = random() < 0.7 ? validNational(plan) : mutate(validNational(plan), plan);
    const digits = plan.code + (random() < 0.3 ? prefixOf(plan) : '') + national;
    return [random() < 0.5 ? formatNational(digits) : `${plan.code} ${formatNational(digits.slice(plan.code.length))}`, countryFor(plan)];
  }],
  [6, 'national: every country, any digits', () => [formatNational(randomDigits(int(0, 20))), countryFor(pick(COUNTRY_PLANS))]],
  [3, 'national: one to three digits', () => {
    const digits = randomDigits(int(1, 3));
    return [pick([digits, `(${digits})`, digits.split('').join(pick(SEPARATORS)), `${digits})`, `.${digits}`]), pick(COUNTRIES)];
  }],
  [10, '+ numbers with a default country', () => {
    let r = random() * totalWeight;
    const [, , generate] = generators.find(([weight]) => (r -= weight) < 0) ?? (generators[0] as (typeof generators)[number]);
    return [generate(), countryFor(random() < 0.5 ? pick(PLANS) : undefined)];
  }],
];
const nationalWeight = nationalGenerators.reduce((sum, [w]) => sum + w, 0);

/** First a sweep: every type of every country, nationally, with its national prefix, after an IDD prefix and after the calling code. */
function* nationalSweep(): Generator<Case> {
  for (const plan of COUNTRY_PLANS) {
    for (const pattern of plan.patterns) {
      const national = sample(pattern);
      yield ['sweep: countries × types, national', formatNational(national), plan.country];
      yield ['sweep: countries × types, national prefix', formatNational((plan.nationalPrefix ?? '') + sample(pattern)), plan.country];
      yield ['sweep: countries × types, national prefix', formatNational(prefixOf(plan) + sample(pattern)), pick(SIBLINGS.get(plan.code) as string[])];
      yield ['sweep: countries × types, IDD', `${iddOf(plan.country)} ${plan.code} ${formatNational(sample(pattern))}`, plan.country];
      yield ['sweep: countries × types, calling code without +', formatNational(plan.code + sample(pattern)), plan.country];
      yield ['sweep: countries × types, no country', formatNational(national), random() < 0.5 ? undefined : pick(NO_PLAN)];
    }
  }
}

function* nationalInputs(): Generator<Case> {
  yield* nationalSweep();
  for (;;) {
    let r = random() * nationalWeight;
    const [, name, generate] =
      nationalGenerators.find(([weight]) => (r -= weight) < 0) ?? (nationalGenerators[0] as (typeof nationalGenerators)[number]);
    yield [name, ...generate()];
  }
}

t.test('named cases: judgePhone answers as libphonenumber-js', async (t) => {
  const named: [string, string][] = [
    ['GB fixed line', '+44 20 7946 0958'],
    ['GB national prefix kept', '+44 (0) 20 7946 0958'],
    ['GB national prefix kept, no spaces', '+4402079460958'],
    ['GB mobile', '+44 7911 123456'],
    ['GB calling code in parentheses', '+(44)7911 123456'],
    ['GG mobile', '+44 7781 123456'],
    ['IM mobile', '+44 7624 123456'],
    ['JE mobile', '+44 7797 123456'],
    ['US fixed line', '+1 (201) 555-0123'],
    ['US with national prefix 1', '+1 1 201 555 0123'],
    ['CA', '+1 204 234 5678'],
    ['JM', '+1 876 210 1234'],
    ['NANP toll free', '+1 800 234 5678'],
    ['FR mobile with dots', '+33.6.12.34.56.78'],
    ['FR national prefix kept', '+33 (0)6 12 34 56 78'],
    ['DE mobile', '+49 151 23456789'],
    ['NL mobile', '+31 6 12345678'],
    ['AU mobile', '+61 412 345 678'],
    ['AU national prefix kept', '+61 (0)4 1234 5678'],
    ['CX', '+61 8 9164 1234'],
    ['IT keeps its zero', '+39 06 1234 5678'],
    ['VA', '+39 06 698 12345'],
    ['RU toll free', '+7 800 555 35 35'],
    ['RU with prefix 8', '+7 8 800 555 35 35'],
    ['KZ', '+7 701 123 4567'],
    ['NO', '+47 412 34 567'],
    ['RE', '+262 692 12 34 56'],
    ['YT', '+262 639 01 23 45'],
    ['SH', '+290 22158'],
    ['FI', '+358 41 2345678'],
    ['AX', '+358 18 123456'],
    ['GP', '+590 690 00 12 34'],
    ['CW', '+599 9 518 1234'],
    ['AR mobile with 15', '+54 11 15 2345 6789'],
    ['AR mobile with 9', '+54 9 11 2345 6789'],
    ['BR with carrier code', '+55 0 21 11 98765 4321'],
    ['+800', '+800 1234 5678'],
    ['+808', '+808 1234 5678'],
    ['+870', '+870 301 234 567'],
    ['+878', '+878 10 12345 67890'],
    ['+881', '+881 6 123 45678'],
    ['+882', '+882 16 123456'],
    ['+883', '+883 510 012 345'],
    ['+888', '+888 123 456 78901'],
    ['+979', '+979 1 2345 6789'],
    ['unassigned +28', '+28 123 456 789'],
    ['unassigned +999', '+999 123 456'],
    ['calling code starting with 0', '+0 44 20 7946 0958'],
    ['two digits', '+44'],
    ['three digits', '+440'],
    ['only punctuation after +', '+ ( ) -'],
    ['trailing punctuation', '+44 20 7946 0958)'],
    ['too long national number', '+44 20 7946 0958 1234 5678'],
    ['over 250 characters', `+44${' '.repeat(250)}2079460958`],
  ];
  for (const [name, input] of named) {
    t.ok(DOMAIN.test(input), `${name}: in the domain`);
    const expected = library(input);
    t.equal(judgePhone(input), expected, `${name}: ${input} → ${expected}`);
  }
});

t.test(`differential: ${CASES} seeded inputs (seed ${SEED})`, async (t) => {
  random = mulberry32(SEED);
  const mismatches: string[] = [];
  const perGenerator = new Map<string, number>();
  const distinct = new Set<string>();
  let valid = 0;
  let run = 0;
  for (const [name, generated] of inputs()) {
    if (run === CASES || mismatches.length === MAX_MISMATCHES) break;
    run++;
    const input = generated.trim();
    if (!DOMAIN.test(input)) {
      mismatches.push(`generator "${name}" left the domain: ${JSON.stringify(input)}`);
      continue;
    }
    distinct.add(input);
    perGenerator.set(name, (perGenerator.get(name) ?? 0) + 1);
    const expected = library(input);
    const actual = judgePhone(input);
    if (expected !== null) valid++;
    if (actual !== expected) {
      mismatches.push(`${JSON.stringify(input)} (${name}): library ${expected}, judgePhone ${actual}`);
    }
  }
  t.same(mismatches, [], 'no input judged differently');
  t.equal(run, CASES, 'every input was run');
  t.ok(distinct.size > CASES * 0.8, `${distinct.size} distinct inputs`);
  // Both verdicts are well represented, so agreement is not agreement on "invalid".
  t.ok(valid > CASES * 0.25 && valid < CASES * 0.75, `${valid} valid`);
  for (const [name, count] of perGenerator) t.ok(count > 0, `${name}: ${count}`);
});

t.test('national numbers: the examples as the library answers them', async (t) => {
  const named: [name: string, input: string, country: string | undefined, expected: string | null][] = [
    ['GB mobile, national prefix', '07911 123456', 'GB', '+447911123456'],
    ['GB mobile after the IDD prefix', '0044 7911 123456', 'GB', '+447911123456'],
    ['GB mobile, calling code without +', '447911123456', 'GB', '+447911123456'],
    ['FR mobile', '06 12 34 56 78', 'FR', '+33612345678'],
    ['DE fixed line', '030 901820', 'DE', '+4930901820'],
    ['US fixed line', '(415) 555-2671', 'US', '+14155552671'],
    ['GB drama range', '07700 900123', 'GB', null],
    ['AQ has no plan', '07911 123456', 'AQ', null],
    ['AQ has no plan, US digits', '(415) 555-2671', 'AQ', null],
    ['EU has no plan', '06 12 34 56 78', 'EU', null],
    ['ZZ has no plan', '030 901820', 'ZZ', null],
    ['no country', '07911 123456', undefined, null],
    ['no country, US digits', '(415) 555-2671', undefined, null],
    ['no country, calling code without +', '447911123456', undefined, null],
    ['+ number, another country', '+44 7911 123456', 'US', '+447911123456'],
    ['+ number, a country without a plan', '+44 7911 123456', 'AQ', '+447911123456'],
    ['US IDD prefix', '011 44 7911 123456', 'US', '+447911123456'],
    ['GB IDD prefix in US', '00 44 7911 123456', 'US', null],
    ['IM number in GB', '07624 123456', 'GB', '+447624123456'],
    ['IM number in JE', '07624 123456', 'JE', '+447624123456'],
    ['JE number in GB', '07797 123456', 'GB', '+447797123456'],
    ['CA number in US', '204 234 5678', 'US', '+12042345678'],
    ['US number in CA', '1 (415) 555-2671', 'CA', '+14155552671'],
    ['RU toll free with 8', '8 (800) 555-35-35', 'RU', '+78005553535'],
    ['KZ number in RU', '8 701 123 4567', 'RU', '+77011234567'],
    ['leading punctuation', '(0)20 7946 0958', 'GB', '+442079460958'],
    ['two digits', '12', 'GB', null],
  ];
  for (const [name, input, country, expected] of named) {
    t.ok(NATIONAL_DOMAIN.test(input), `${name}: in the domain`);
    t.equal(library(input, country), expected, `${name}: the library answers ${input} (${country}) → ${expected}`);
    t.equal(judgePhone(input, country), expected, `${name}: judgePhone answers ${input} (${country}) → ${expected}`);
  }
});

t.test('hasNumberingPlan: the countries the library supports', async (t) => {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const codes = [...letters].flatMap((a) => [...letters].map((b) => a + b));
  const disagreements = [...codes, ...Object.keys(metadata.countries), '001', '1', 'gb', 'Gb', '', 'GBR']
    .filter((code) => hasNumberingPlan(code) !== isSupportedCountry(code as CountryCode));
  t.same(disagreements, [], 'hasNumberingPlan is isSupportedCountry');
  t.ok(hasNumberingPlan('GB') && hasNumberingPlan('GG') && !hasNumberingPlan('AQ') && !hasNumberingPlan('EU'), 'GB, GG yes; AQ, EU no');
  t.ok(NO_PLAN.length >= 5, `countries without a plan to judge with: ${NO_PLAN.join(', ')}`);
});

t.test(`differential, national: ${NATIONAL_CASES} seeded inputs and countries (seed ${SEED})`, async (t) => {
  random = mulberry32(SEED + 1);
  const mismatches: string[] = [];
  const perGenerator = new Map<string, number>();
  const distinct = new Set<string>();
  let valid = 0;
  let withoutPlus = 0;
  let run = 0;
  for (const [name, generated, country] of nationalInputs()) {
    if (run === NATIONAL_CASES || mismatches.length === MAX_MISMATCHES) break;
    run++;
    const input = generated.trim();
    if (!NATIONAL_DOMAIN.test(input)) {
      mismatches.push(`generator "${name}" left the domain: ${JSON.stringify(input)}`);
      continue;
    }
    distinct.add(`${input} ${country}`);
    perGenerator.set(name, (perGenerator.get(name) ?? 0) + 1);
    const expected = library(input, country);
    const actual = judgePhone(input, country);
    if (expected !== null) valid++;
    if (input[0] !== '+') withoutPlus++;
    if (actual !== expected) {
      mismatches.push(`${JSON.stringify(input)} in ${country} (${name}): library ${expected}, judgePhone ${actual}`);
    }
  }
  t.same(mismatches, [], 'no input judged differently');
  t.equal(run, NATIONAL_CASES, 'every input was run');
  t.ok(distinct.size > NATIONAL_CASES * 0.8, `${distinct.size} distinct inputs`);
  t.ok(withoutPlus > NATIONAL_CASES * 0.75, `${withoutPlus} without +`);
  t.ok(valid > NATIONAL_CASES * 0.2 && valid < NATIONAL_CASES * 0.75, `${valid} valid`);
  for (const [name, count] of perGenerator) t.ok(count > 0, `${name}: ${count}`);
});
