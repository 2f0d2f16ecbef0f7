import { createRequire } from 'node:module';
import { createLibraryJudge } from './library.js';
import { compilePlans } from './metadata.js';
import { createFastJudge } from './plan.js';

/**
 * The phone judge: what libphonenumber-js/max answers for
 *
 *   const p = parsePhoneNumberFromString(trimmed, country);
 *   return p !== undefined && p.isValid() ? p.number : null;
 *
 * (the E.164 text or null), for strings matching /^\+?[0-9 ().-]+$/ and a default country given
 * as an upper-case ISO alpha-2 code or undefined.
 *
 * MIRRORED LIBRARY: libphonenumber-js 1.13.16 (MIRRORED_VERSION; package.json pins it). The fast
 * judge (plan.ts, on the max metadata compiled once by metadata.ts) re-implements these internals
 * of that version, in order:
 *
 * - parsePhoneNumber_(): a default country without a numbering plan (isSupportedCountry) is dropped;
 * - parse(): input over 250 characters is refused; parseInput() / extractFormattedPhoneNumber()
 *   (from the first `+` or digit to the last digit), isViablePhoneNumber() (three digits, or two
 *   written together), parseIncompletePhoneNumber() (the digits);
 * - extractCountryCallingCode(): after `+`, the calling code (the default country plays no part);
 *   without `+`, stripIddPrefix() (the default country's IDD prefix, `00 44…` in GB, makes the rest
 *   international) or extractCountryCallingCodeFromInternationalNumberWithoutPlusSign() (`44…` in
 *   GB, when that reads better than a national number);
 * - parsePhoneNumber(): a national number is read with the default country's plan, one with a
 *   calling code with that code's main plan; without `+` and without a default country, nothing;
 * - extractNationalNumber() / extractNationalNumberFromPossiblyIncompleteNumber() (national prefix
 *   and carrier code, checkNumberLength()), getCountryByCallingCode() / getCountryByNationalNumber();
 * - parse()'s 2–17 digit bounds on the national number, and isValid() / getNumberType() with the
 *   exact country's plan, else the default country's, else the calling code's main plan;
 * - metadata.ts: the `Metadata` reader's defaults and matchesEntirely()'s anchoring of patterns;
 * - hasNumberingPlan(): isSupportedCountry().
 *
 * test/core/phone-plan.test.ts holds the fast judge to the library's answers (seeded differential).
 *
 * UPGRADING the library: internals can change in any release, so at module load the installed
 * version (libphonenumber-js's package.json, resolved from here as the imports are; the library
 * exports no version) is compared with MIRRORED_VERSION. When they differ, every judgement goes
 * through the library's public API instead (library.ts: slower, never wrong) and a warning says so
 * once. To get the fast judge back: bump MIRRORED_VERSION, run test/core/phone-plan.test.ts (also
 * with other PHONE_PLAN_SEED values), and fix plan.ts / metadata.ts until it passes.
 */
export const MIRRORED_VERSION = '1.13.16';

export const FALLBACK_WARNING_CODE = 'OMETRIA_PHONE_JUDGE_FALLBACK';

export interface PhoneJudge {
  /** `fast`: the mirror of MIRRORED_VERSION; `library`: libphonenumber-js's public API. */
  readonly kind: 'fast' | 'library';
  /** The E.164 text of a valid number, else null (the snippet above). */
  readonly judgePhone: (trimmed: string, country?: string) => string | null;
  /** Whether the library reads national numbers with the country (isSupportedCountry). */
  readonly hasNumberingPlan: (country: string) => boolean;
}

/** The installed libphonenumber-js's version, `unknown` if its package.json has none. */
export const INSTALLED_VERSION: string = (() => {
  const manifest: unknown = createRequire(import.meta.url)('libphonenumber-js/package.json');
  const version = (manifest as { version?: unknown } | null)?.version;
  return typeof version === 'string' ? version : 'unknown';
})();

// Compiled at most once per process, and only when chosen (see compilePlans()).
let fast: PhoneJudge | undefined;

/**
 * The fast judge when `installedVersion` is the mirrored one, else the library-backed judge, after
 * one warning (stderr, `(node:pid) [OMETRIA_PHONE_JUDGE_FALLBACK] Warning: …`). Module load calls
 * this once with the installed version; tests call it with others.
 *
 * Why `process.emitWarning` and not the service's pino logger: this is core, which knows nothing of
 * the app, and the choice is made while the module loads, before any logger exists (schemas/env.ts
 * imports hasNumberingPlan to validate the environment the logger is configured from). A warning
 * is Node's channel for exactly this, printed by default, and the app can still route it into its
 * logs with `process.on('warning', …)` (the code tells it apart).
 */
export function choosePhoneJudge(installedVersion: string): PhoneJudge {
  if (installedVersion === MIRRORED_VERSION) return (fast ??= createFastJudge(compilePlans()));
  process.emitWarning(
    `libphonenumber-js ${installedVersion} is installed but the phone judge mirrors ${MIRRORED_VERSION}: ` +
      'judging phones with parsePhoneNumberFromString() instead (correct, about 20 times slower); ' +
      'see src/core/engine/checks/phone/index.ts to upgrade the judge',
    { code: FALLBACK_WARNING_CODE },
  );
  return createLibraryJudge();
}

const chosen = choosePhoneJudge(INSTALLED_VERSION);

/** The chosen judge's judgePhone: see PhoneJudge. */
export const judgePhone: PhoneJudge['judgePhone'] = chosen.judgePhone;

/** The chosen judge's hasNumberingPlan: see PhoneJudge. */
export const hasNumberingPlan: PhoneJudge['hasNumberingPlan'] = chosen.hasNumberingPlan;
