import type { CheckName, FieldRule } from '../../../../schemas/mapping.js';
import { toCountry } from './country.js';
import { toCurrency } from './currency.js';
import { phoneProblem, toE164 } from './e164.js';
import { isIsoDateTime } from './iso-date-time.js';
import { toOneOf } from './one-of.js';
import { toTimeZone } from './timezone.js';

/**
 * A validity check: the value to write, or undefined when the value is invalid. `context` is the
 * value of the row's `context` field (a phone's country), for the checks that read one.
 */
export type Check = (value: string, rule: FieldRule, context?: string) => string | undefined;

interface CheckEntry {
  readonly run: Check;
  /** Completes "<path>: … ; dropped" in warnings; given the value and context when the reason depends on them. */
  readonly invalid: (rule: FieldRule, value?: string, context?: string) => string;
  /**
   * For a row whose invalid value is an error: what follows the value in it (`<path> "<value>" …`).
   * Only checks of values that are never personal data (times, currency codes) have one.
   */
  readonly explain?: (value: string) => string;
}

export const CHECKS: Readonly<Record<CheckName, CheckEntry>> = {
  e164: {
    run: (v, _rule, country) => toE164(v, country),
    invalid: (_rule, value, country) => (value === undefined ? 'not a valid phone number' : phoneProblem(value, country)),
  },
  isoDateTime: {
    run: (v) => (isIsoDateTime(v) ? v : undefined),
    invalid: () => 'not an ISO-8601 date and time (YYYY-MM-DDTHH:MM[:SS[.fff]][zone])',
    explain: () => 'is not a real date and time (YYYY-MM-DDTHH:MM[:SS[.fff]], then Z, ±HH:MM or nothing)',
  },
  currency: {
    run: (v) => toCurrency(v),
    invalid: () => 'not an ISO 4217 currency code',
    explain: () => 'is not an ISO 4217 currency code (such as GBP, EUR or USD)',
  },
  oneOf: {
    run: (v, rule) => toOneOf(v, rule.values ?? {}, rule.fold),
    invalid: (rule) => `not one of ${Object.keys(rule.values ?? {}).join(', ')}`,
  },
  country: {
    run: (v) => toCountry(v),
    invalid: () => 'not a country (an ISO 3166-1 alpha-2 or alpha-3 code, or an English name)',
  },
  timezone: {
    run: (v) => toTimeZone(v),
    invalid: () => 'not an IANA time zone name (such as Europe/London)',
  },
};
