import type { CheckName, FieldRule } from '../../../schemas/mapping.js';
import { toCurrency } from './currency.js';
import { toE164 } from './e164.js';
import { isIsoDateTime } from './iso-date-time.js';
import { toOneOf } from './one-of.js';

/** A validity check: the value to write, or undefined when the value is invalid. */
export type Check = (value: string, rule: FieldRule) => string | undefined;

interface CheckEntry {
  readonly run: Check;
  /** Completes "<path>: … ; dropped" in warnings. */
  readonly invalid: (rule: FieldRule) => string;
  /**
   * For a row whose invalid value is an error: what follows the value in it (`<path> "<value>" …`).
   * Only checks of values that are never personal data (times, currency codes) have one.
   */
  readonly explain?: (value: string) => string;
}

export const CHECKS: Readonly<Record<CheckName, CheckEntry>> = {
  e164: { run: (v) => toE164(v), invalid: () => 'not a valid international phone number' },
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
};
