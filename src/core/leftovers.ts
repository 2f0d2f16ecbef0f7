import { describeValue } from './kinds.js';
import { isAbsent, isPlainObject, type PlainObject } from './plain-object.js';
import { FORBIDDEN_KEYS, MAX_VALUE_DEPTH, sanitize, TOO_DEEP } from './sanitize.js';
import type { Warnings } from './warnings.js';

export interface LeftoverSource {
  readonly object: unknown;
  /** Its path in the message, for warnings. */
  readonly path: string;
}

/**
 * Custom fields built from what no mapping row reads (SPEC §5 Leftovers): keys of the given plain
 * objects, earlier sources winning, absent values skipped, forbidden keys never copied. Keys are
 * copied as they are: a key "a.b" stays flat.
 */
export function collectLeftovers(
  sources: readonly LeftoverSource[],
  excluded: ReadonlySet<string>,
  warnings: Warnings,
): PlainObject {
  const result: PlainObject = {};
  for (const { object, path } of sources) {
    if (!isPlainObject(object)) {
      if (!isAbsent(object)) warnings.add(path, `expected an object, got ${describeValue(object)}; skipped`);
      continue;
    }
    for (const key of Object.keys(object)) {
      if (excluded.has(key) || FORBIDDEN_KEYS.has(key) || Object.hasOwn(result, key)) continue;
      const value = object[key];
      if (isAbsent(value)) continue;
      // JSON.parse reads 1e999 as Infinity, which JSON.stringify would send as null.
      if (typeof value === 'number' && !Number.isFinite(value)) {
        warnings.add(`${path}.${key}`, 'not a finite number; skipped');
        continue;
      }
      const cleaned = sanitize(value);
      if (cleaned === TOO_DEEP) {
        warnings.add(`${path}.${key}`, `nested deeper than ${MAX_VALUE_DEPTH} levels; skipped`);
        continue;
      }
      result[key] = cleaned;
    }
  }
  return result;
}

export function isEmptyObject(object: PlainObject): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return false;
  return true;
}

/** Keys of an object that no row reads and that are therefore dropped: each is warned about. */
export function warnUnreadKeys(object: PlainObject, read: ReadonlySet<string>, path: string, what: string, warnings: Warnings): void {
  for (const key of Object.keys(object)) {
    if (!read.has(key) && !isAbsent(object[key])) warnings.add(`${path}.${key}`, `not ${what} field; dropped`);
  }
}
