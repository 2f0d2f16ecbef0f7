import type { Kind } from '../../schemas/mapping.js';
import { isPlainObject } from './plain-object.js';
import { sanitize } from './sanitize.js';

export const WRONG_KIND: unique symbol = Symbol('wrong kind');

// Amounts: a plain decimal string is a number; "1e3", "0x10", "12 GBP" are not.
export const PLAIN_DECIMAL = /^\s*-?\d+(\.\d+)?\s*$/;

/**
 * The value as the field's kind, WRONG_KIND, or TOO_DEEP for lists and objects nested past
 * MAX_VALUE_DEPTH. The value must already be present (not absent).
 */
export function asKind(kind: Kind, value: unknown): unknown {
  switch (kind) {
    case 'identifier':
    case 'text':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      return WRONG_KIND;
    case 'amount':
      if (typeof value === 'number') return Number.isFinite(value) ? value : WRONG_KIND;
      if (typeof value === 'string' && PLAIN_DECIMAL.test(value)) return Number(value);
      return WRONG_KIND;
    case 'flag':
      return typeof value === 'boolean' ? value : WRONG_KIND;
    case 'list':
      return Array.isArray(value) ? sanitize(value) : WRONG_KIND;
    case 'object':
      return isPlainObject(value) ? sanitize(value) : WRONG_KIND;
  }
}

const KIND_LABELS: Record<Kind, string> = {
  identifier: 'an identifier (a string or number)',
  text: 'text (a string or number)',
  amount: 'a number (or a plain decimal string)',
  flag: 'a boolean',
  list: 'a list (array)',
  object: 'an object',
};

export function kindLabel(kind: Kind): string {
  return KIND_LABELS[kind];
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
