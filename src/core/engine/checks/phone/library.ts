import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { PhoneJudge } from './index.js';

/**
 * The fallback judge: libphonenumber-js/max's public API, the snippet the fast judge stands for.
 * Right for any version of the library (slower, about 16 µs a number instead of 1), so it judges
 * when the installed library is not the version the fast judge mirrors (index.ts).
 */
export function createLibraryJudge(): PhoneJudge {
  return {
    kind: 'library',
    judgePhone(trimmed: string, country?: string): string | null {
      // A country the library does not know is ignored by it, as by the fast judge.
      const parsed = parsePhoneNumberFromString(trimmed, country as CountryCode | undefined);
      return parsed !== undefined && parsed.isValid() ? parsed.number : null;
    },
    hasNumberingPlan(country: string): boolean {
      return isSupportedCountry(country);
    },
  };
}
