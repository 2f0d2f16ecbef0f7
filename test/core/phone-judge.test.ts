/**
 * Which phone judge runs (src/core/engine/checks/phone/index.ts): the fast one for the libphonenumber-js
 * version it mirrors, which is the installed one; for any other version the library's public API,
 * with the same answers, after one warning. The fast judge's answers themselves are
 * phone-plan.test.ts's.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

const CODE = 'OMETRIA_PHONE_JUDGE_FALLBACK';

// Listening before the module loads: its own choice (at load) is counted too.
const warnings: Error[] = [];
process.on('warning', (warning: Error & { code?: string }) => {
  if (warning.code === CODE) warnings.push(warning);
});
/** Warnings are emitted on the next tick: let them arrive. */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const phone = await import('../../src/core/engine/checks/phone/index.js');
const { choosePhoneJudge, FALLBACK_WARNING_CODE, INSTALLED_VERSION, MIRRORED_VERSION } = phone;

function library(trimmed: string, country?: string): string | null {
  const parsed = parsePhoneNumberFromString(trimmed, country as CountryCode | undefined);
  return parsed !== undefined && parsed.isValid() ? parsed.number : null;
}

// [input, default country, the library's answer]: international, national with a country (GB,
// US, FR, RU national prefix), IDD and calling code without `+` from GB, and invalid ones.
const CASES: readonly (readonly [string, string | undefined, string | null])[] = [
  ['+44 20 7946 0000', undefined, '+442079460000'],
  ['+44 (0) 20 7946 0000', undefined, '+442079460000'],
  ['+1 (202) 456-1111', undefined, '+12024561111'],
  ['020 7946 0000', 'GB', '+442079460000'],
  ['07400 123456', 'GB', '+447400123456'],
  ['(212) 555-0123', 'US', '+12125550123'],
  ['06 12 34 56 78', 'FR', '+33612345678'],
  ['8 800 555-35-35', 'RU', '+78005553535'],
  ['00 49 30 901820', 'GB', '+4930901820'],
  ['4420 7946 0000', 'GB', '+442079460000'],
  ['0800 123 4567', 'FR', null],
  ['12345', 'GB', null],
  ['020 7946 0000', undefined, null],
  ['020 7946 0000', 'AQ', null],
  ['+999 123', undefined, null],
];

t.test('the installed library is the mirrored version, so the fast judge runs', async (t) => {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  t.equal(manifest.dependencies['libphonenumber-js'], MIRRORED_VERSION, 'package.json pins the mirrored version');
  t.equal(
    INSTALLED_VERSION,
    MIRRORED_VERSION,
    'after an upgrade, re-verify the fast judge and bump MIRRORED_VERSION (src/core/engine/checks/phone/index.ts)',
  );
  const chosen = choosePhoneJudge(INSTALLED_VERSION);
  t.equal(chosen.kind, 'fast');
  t.equal(phone.judgePhone, chosen.judgePhone, 'the exported judgePhone is the fast one');
  t.equal(phone.hasNumberingPlan, chosen.hasNumberingPlan, 'and so is hasNumberingPlan');
  t.equal(choosePhoneJudge(MIRRORED_VERSION), chosen, 'compiled once');
  await settled();
  t.same(warnings, [], 'no warning, at load or when chosen');
});

t.test('another version: the library judges, after one warning', async (t) => {
  const judge = choosePhoneJudge('1.13.17');
  t.equal(judge.kind, 'library');
  for (const [input, country, expected] of CASES) {
    t.equal(library(input, country), expected, `the library: ${input} (${country ?? 'no country'}) → ${expected}`);
    t.equal(judge.judgePhone(input, country), expected, `the fallback: ${input} (${country ?? 'no country'}) → ${expected}`);
  }
  for (const country of ['GB', 'GG', 'US', 'AQ', 'EU', 'ZZ']) {
    t.equal(judge.hasNumberingPlan(country), isSupportedCountry(country), `hasNumberingPlan(${country})`);
  }
  await settled();
  t.equal(warnings.length, 1, 'one warning, however many judgements');
  const [warning] = warnings;
  t.equal(FALLBACK_WARNING_CODE, CODE);
  t.match(warning?.message, /^libphonenumber-js 1\.13\.17 is installed but the phone judge mirrors 1\.13\.16: /);
  t.notOk(warning?.message.includes('\n'), 'on one line');
  warnings.length = 0;
});

t.test('the fast judge and the fallback agree on these cases', async (t) => {
  const fast = choosePhoneJudge(MIRRORED_VERSION);
  const fallback = choosePhoneJudge('unknown');
  for (const [input, country] of CASES) {
    t.equal(fast.judgePhone(input, country), fallback.judgePhone(input, country), `${input} (${country ?? 'no country'})`);
  }
  await settled();
  t.equal(warnings.length, 1, 'the fallback chosen again warns again, once');
});
