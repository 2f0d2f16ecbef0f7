import { PLAIN_DECIMAL } from '../../plain-decimal.js';
import type { Kind } from '../../../schemas/mapping.js';
import { isPlainObject } from '../plain-object.js';
import { sanitize } from './sanitize.js';

export const WRONG_KIND: unique symbol = Symbol('wrong kind');

export { PLAIN_DECIMAL } from '../../plain-decimal.js';

/** One kind (docs/MAPPING.md, "Kinds"): what it accepts, and how a present value becomes it. */
export interface KindRule {
  /** What the kind accepts, as warnings and the docs say it. */
  readonly label: string;
  /**
   * A present value (not absent) as the kind: the value to write, WRONG_KIND, or, for lists and
   * objects (`nested`), TOO_DEEP when nested past MAX_VALUE_DEPTH.
   */
  readonly convert: (raw: unknown) => unknown;
  /** Whether `convert` can give TOO_DEEP. */
  readonly nested: boolean;
}

/** Identifiers and text: a string as sent, a finite number as its decimal text. */
function toText(raw: unknown): unknown {
  if (typeof raw === 'string') return raw;
  return typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : WRONG_KIND;
}

function toAmount(raw: unknown): unknown {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : WRONG_KIND;
  return typeof raw === 'string' && PLAIN_DECIMAL.test(raw) ? Number(raw) : WRONG_KIND;
}

function toFlag(raw: unknown): unknown {
  return typeof raw === 'boolean' ? raw : WRONG_KIND;
}

function toList(raw: unknown): unknown {
  return Array.isArray(raw) ? sanitize(raw) : WRONG_KIND;
}

function toObject(raw: unknown): unknown {
  return isPlainObject(raw) ? sanitize(raw) : WRONG_KIND;
}

/**
 * The kind rules, the only ones: the interpreter (interpret.ts) calls `convert`, and the code a
 * table is compiled into (table-code.ts) calls the same function.
 */
export const KINDS: Readonly<Record<Kind, KindRule>> = {
  identifier: { label: 'an identifier (a string or number)', convert: toText, nested: false },
  text: { label: 'text (a string or number)', convert: toText, nested: false },
  amount: { label: 'a number (or a plain decimal string)', convert: toAmount, nested: false },
  flag: { label: 'a boolean', convert: toFlag, nested: false },
  list: { label: 'a list (array)', convert: toList, nested: true },
  object: { label: 'an object', convert: toObject, nested: true },
};

export function kindLabel(kind: Kind): string {
  return KINDS[kind].label;
}

/** A short description of what a value is, for warnings (never the value itself). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return PLAIN_DECIMAL.test(value) ? 'a numeric string' : 'a string';
  return `a ${typeof value}`;
}

/** What a missing, blank or wrong-kind value is, for an error that must not show it: `missing`, `blank`, `a number` … */
export function whatIs(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string' && value.trim() === '') return 'blank';
  return describeValue(value);
}
