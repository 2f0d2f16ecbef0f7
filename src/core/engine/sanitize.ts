/** Keys that are never copied into a record, at any depth. */
export function isForbiddenKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

/** Deeper values are refused: they would only serve to exhaust the stack of whoever reads them. */
export const MAX_VALUE_DEPTH = 64;

/** Marks a value nested deeper than MAX_VALUE_DEPTH. */
export const TOO_DEEP: unique symbol = Symbol('too deep');

/**
 * The value without forbidden keys, or TOO_DEEP. Returns the same object when nothing needs
 * removing, so clean payloads (the norm) are never copied; scalars inside are not even visited
 * by a call.
 */
export function sanitize(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_VALUE_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== 'object' || item === null) continue;
      const cleaned = sanitize(item, depth + 1);
      if (cleaned === TOO_DEEP) return TOO_DEEP;
      if (cleaned !== item) {
        copy ??= value.slice();
        copy[i] = cleaned;
      }
    }
    return copy ?? value;
  }
  const object = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(object)) {
    if (isForbiddenKey(key)) {
      copy ??= copyWithout(object);
      continue;
    }
    const item = object[key];
    if (typeof item !== 'object' || item === null) continue;
    const cleaned = sanitize(item, depth + 1);
    if (cleaned === TOO_DEEP) return TOO_DEEP;
    if (cleaned !== item) {
      copy ??= copyWithout(object);
      copy[key] = cleaned;
    }
  }
  return copy ?? value;
}

function copyWithout(object: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(object)) if (!isForbiddenKey(key)) copy[key] = object[key];
  return copy;
}
