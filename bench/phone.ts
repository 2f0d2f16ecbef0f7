/**
 * npm run build && node dist/bench/phone.js: µs per phone number for the libphonenumber-js snippet
 * e164.ts runs and for judgePhone, plus what loading judgePhone's compiled plan costs. Not a test.
 *
 * Numbers are realistic and distinct: GB, US, DE, FR, AU, NL (and a few neighbours) mobiles and
 * fixed lines, formatted as people write them, about 90% valid (15% carry a typo, some of which
 * stay valid). Each function is timed on its own never-seen set, after a warm-up on a third one,
 * so neither side is helped by anything it saw.
 *
 *   BENCH_PHONES (numbers per timed set, default 60000)  BENCH_SEED (default 1)
 */
import { Metadata, type CountryCode } from 'libphonenumber-js/core';
import { getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import metadata from 'libphonenumber-js/max/metadata';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const COUNT = Number(process.env.BENCH_PHONES ?? 60_000);
const WARMUP = 20_000;
let state = Number(process.env.BENCH_SEED ?? 1) >>> 0;

function library(trimmed: string): string | null {
  const parsed = parsePhoneNumberFromString(trimmed);
  return parsed !== undefined && parsed.isValid() ? parsed.number : null;
}

function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let x = Math.imul(state ^ (state >>> 15), state | 1);
  x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
}
const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
const digits = (n: number): string => Array.from({ length: n }, () => String(int(0, 9))).join('');

// Country, share of the traffic, whether people there write the trunk 0 as `+44 (0) 20…`.
const MARKETS: [CountryCode, number, boolean][] = [
  ['GB', 25, true], ['US', 20, false], ['DE', 10, true], ['FR', 10, true], ['AU', 8, true],
  ['NL', 8, true], ['CA', 5, false], ['IE', 4, true], ['IT', 4, false], ['ES', 4, false], ['BE', 2, true],
];

/**
 * Valid national numbers of a country and type, found by the library: random digits of a possible
 * length, then, once some are found, random digits after the first one to three of a found one.
 */
class Source {
  private readonly found: string[] = [];
  private readonly lengths: number[];
  readonly code: string;

  constructor(private readonly country: CountryCode, private readonly type: 'MOBILE' | 'FIXED_LINE') {
    const reader = new Metadata(metadata);
    reader.selectNumberingPlan(country);
    this.lengths = reader.numberingPlan?.possibleLengths() ?? [10];
    this.code = getCountryCallingCode(country);
  }

  next(): string {
    for (;;) {
      const seed = this.found.length > 20 ? pick(this.found) : '';
      const length = seed === '' ? pick(this.lengths) : seed.length;
      const head = seed.slice(0, int(1, 3));
      const national = head + digits(length - head.length);
      const parsed = parsePhoneNumberFromString(`+${this.code}${national}`);
      const type = parsed?.isValid() === true ? parsed.getType() : undefined;
      if (parsed?.country === this.country && (type === this.type || type === 'FIXED_LINE_OR_MOBILE')) {
        this.found.push(national);
        return national;
      }
    }
  }
}

const pairs = (n: string, separator: string): string => n.replace(/(\d\d)(?=\d)/g, `$1${separator}`);
const FORMATS: ((code: string, n: string) => string)[] = [
  (code, n) => `+${code}${n}`,
  (code, n) => `+${code} ${n.slice(0, 4)} ${n.slice(4)}`,
  (code, n) => `+${code} ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`,
  (code, n) => `+${code} (${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`,
  (code, n) => `+${code} ${n.slice(0, 2)} ${n.slice(2, 6)} ${n.slice(6)}`,
  (code, n) => `+${code}.${pairs(n, '.')}`,
  (code, n) => `+${code}-${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`,
  (code, n) => `+${code} ${pairs(n, ' ')}`,
];
const TRUNK_ZERO = (code: string, n: string): string => `+${code} (0) ${n.slice(0, 2)} ${n.slice(2, 6)} ${n.slice(6)}`;

function format(code: string, national: string, trunkZero: boolean): string {
  return (trunkZero && random() < 0.15 ? TRUNK_ZERO : pick(FORMATS))(code, national);
}

/** A typo: a digit changed, dropped or added. */
function typo(national: string): string {
  const i = int(0, national.length - 1);
  switch (int(0, 2)) {
    case 0: return national.slice(0, i) + String(int(0, 9)) + national.slice(i + 1);
    case 1: return national.slice(0, i) + national.slice(i + 1);
    default: return national.slice(0, i) + String(int(0, 9)) + national.slice(i);
  }
}

const sources = MARKETS.flatMap(([country, share, trunkZero]) =>
  (['MOBILE', 'FIXED_LINE'] as const).map((type) => ({ source: new Source(country, type), share: share / 2, trunkZero })),
);
const totalShare = sources.reduce((sum, s) => sum + s.share, 0);
const seen = new Set<string>();

function numbers(count: number): string[] {
  const out: string[] = [];
  while (out.length < count) {
    let r = random() * totalShare;
    const { source, trunkZero } = sources.find((s) => (r -= s.share) < 0) ?? (sources[0] as (typeof sources)[number]);
    const national = source.next();
    const text = format(source.code, random() < 0.15 ? typo(national) : national, trunkZero);
    if (!seen.has(text)) {
      seen.add(text);
      out.push(text);
    }
  }
  return out;
}

function time(judge: (trimmed: string) => string | null, inputs: readonly string[]): { us: number; valid: number } {
  let valid = 0;
  const start = process.hrtime.bigint();
  for (const input of inputs) if (judge(input) !== null) valid++;
  const ns = Number(process.hrtime.bigint() - start);
  return { us: ns / 1000 / inputs.length, valid };
}

/**
 * In a fresh process (library loaded, nothing else): the time to import the phone judge, and the
 * heap it adds once loaded and once every calling code's RegExps have run (V8 compiles a RegExp to
 * machine code when it first runs).
 */
async function loadCost(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  const heapUsed = (): number => {
    collect();
    collect();
    return process.memoryUsage().heapUsed;
  };
  const before = heapUsed();
  const start = performance.now();
  const { judgePhone } = await import('../src/core/engine/checks/phone/index.js');
  const ms = performance.now() - start;
  const loaded = heapUsed();
  for (let code = 1; code < 1000; code++) {
    for (let n = 0; n < 300; n++) judgePhone(`+${code}${digits(4 + (n % 12))}`);
  }
  console.log(JSON.stringify({ ms, loaded: loaded - before, run: heapUsed() - before }));
}

async function main(): Promise<void> {
  const warmup = numbers(WARMUP);
  const forLibrary = numbers(COUNT);
  const forPlan = numbers(COUNT);
  const { judgePhone } = await import('../src/core/engine/checks/phone/index.js');

  let disagreements = 0;
  for (const input of warmup) if (library(input) !== judgePhone(input)) disagreements++;
  const lib = time(library, forLibrary);
  const plan = time(judgePhone, forPlan);

  const loads = Array.from({ length: 5 }, () => {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--load-cost'], { encoding: 'utf8' });
    return JSON.parse(child.stdout) as { ms: number; loaded: number; run: number };
  });
  const median = (values: number[]): number => values.sort((a, b) => a - b)[values.length >> 1] as number;
  const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  const percent = (n: number): string => `${((100 * n) / COUNT).toFixed(1)}% valid`;

  console.log(`phone numbers: ${COUNT} per timed set, ${WARMUP} warm-up, all distinct`);
  console.log(`libphonenumber-js  ${lib.us.toFixed(2)} µs/number  (${percent(lib.valid)})`);
  console.log(`judgePhone         ${plan.us.toFixed(2)} µs/number  (${percent(plan.valid)})`);
  console.log(`speed-up           ${(lib.us / plan.us).toFixed(1)}×`);
  console.log(`warm-up check      ${disagreements} disagreements with the library in ${WARMUP} numbers`);
  console.log(
    `plan load          ${median(loads.map((l) => l.ms)).toFixed(1)} ms median of 5 fresh processes ` +
      `(max ${Math.max(...loads.map((l) => l.ms)).toFixed(1)} ms; library already loaded)`,
  );
  console.log(
    `plan heap          ${mb(median(loads.map((l) => l.loaded)))} once loaded, ` +
      `${mb(median(loads.map((l) => l.run)))} once every calling code's RegExps have run`,
  );
}

await (process.argv[2] === '--load-cost' ? loadCost() : main());
