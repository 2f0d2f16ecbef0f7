import { isPlainObject } from './plain-object.js';

/** Keys that are never copied into a record, at any depth (SPEC §5 Leftovers). */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Deeper values are refused: they would only serve to exhaust the stack of whoever reads them. */
export const MAX_VALUE_DEPTH = 64;

/** Marks a value nested deeper than MAX_VALUE_DEPTH. */
export const TOO_DEEP: unique symbol = Symbol('too deep');

/**
 * The value without forbidden keys, or TOO_DEEP. Returns the same object when nothing needs
 * removing, so clean payloads (the norm) are never copied.
 */
export function sanitize(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_VALUE_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const cleaned = sanitize(item, depth + 1);
      if (cleaned === TOO_DEEP) return TOO_DEEP;
      if (cleaned !== item) {
        copy ??= value.slice();
        copy[i] = cleaned;
      }
    }
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (FORBIDDEN_KEYS.has(key)) {
      copy ??= copyWithout(value);
      continue;
    }
    const cleaned = sanitize(item, depth + 1);
    if (cleaned === TOO_DEEP) return TOO_DEEP;
    if (cleaned !== item) {
      copy ??= copyWithout(value);
      copy[key] = cleaned;
    }
  }
  return copy ?? value;
}

function copyWithout(object: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(object)) if (!FORBIDDEN_KEYS.has(key)) copy[key] = object[key];
  return copy;
}
