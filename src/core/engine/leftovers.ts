import { describeValue } from './kinds.js';
import { isAbsent, isPlainObject, type PlainObject } from '../plain-object.js';
import { isForbiddenKey, MAX_VALUE_DEPTH, sanitize, TOO_DEEP } from './sanitize.js';
import type { Warnings } from './warnings.js';

export interface LeftoverSource {
  readonly object: unknown;
  /** Its path in the message, for warnings. */
  readonly path: string;
}

/**
 * Custom fields built from what no mapping row reads (docs/MAPPING.md, "Custom fields"): keys of
 * the given plain objects, earlier sources winning, absent values skipped, forbidden keys never
 * copied. Keys are copied as they are: a key "a.b" stays flat.
 */
export function collectLeftovers(
  sources: readonly LeftoverSource[],
  excluded: ReadonlySet<string>,
  warnings: Warnings,
): PlainObject {
  const result: PlainObject = {};
  for (let s = 0; s < sources.length; s++) {
    const { object, path } = sources[s] as LeftoverSource;
    if (!isPlainObject(object)) {
      if (!isAbsent(object)) warnings.add(path, `expected an object, got ${describeValue(object)}; skipped`, 'not_an_object');
      continue;
    }
    for (const key of Object.keys(object)) {
      // Only a later source can meet a key already taken.
      if (excluded.has(key) || isForbiddenKey(key) || (s > 0 && Object.hasOwn(result, key))) continue;
      const value = object[key];
      if (value === undefined || value === null || value === '') continue;
      if (typeof value === 'object') {
        const cleaned = sanitize(value);
        if (cleaned === TOO_DEEP) {
          warnings.add(`${path}.${key}`, `nested deeper than ${MAX_VALUE_DEPTH} levels; skipped`, 'too_deep', true);
          continue;
        }
        result[key] = cleaned;
      } else if (typeof value === 'number' && !Number.isFinite(value)) {
        // JSON.parse reads 1e999 as Infinity, which JSON.stringify would send as null.
        warnings.add(`${path}.${key}`, 'not a finite number; skipped', 'not_finite', true);
      } else {
        result[key] = value;
      }
    }
  }
  return result;
}

/**
 * With custom fields given, the leftovers are not sent: each key collectLeftovers would have
 * taken is named in a note (explain only: left out by design, docs/MAPPING.md "Warnings").
 */
export function noteUnsentLeftovers(
  sources: readonly LeftoverSource[],
  excluded: ReadonlySet<string>,
  warnings: Warnings,
  given = 'custom_fields',
): void {
  const seen = new Set<string>();
  for (const { object, path } of sources) {
    if (!isPlainObject(object)) continue;
    for (const key of Object.keys(object)) {
      if (excluded.has(key) || isForbiddenKey(key) || seen.has(key) || isAbsent(object[key])) continue;
      seen.add(key);
      warnings.note(`${path}.${key}`, `not sent: ${given} is given, so keys no field reads are not added to properties`);
    }
  }
}

export function isEmptyObject(object: PlainObject): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return false;
  return true;
}

/** Keys of an object that no row reads and that are therefore dropped: each is warned about. */
export function warnUnreadKeys(object: PlainObject, read: ReadonlySet<string>, path: string, what: string, warnings: Warnings): void {
  for (const key of Object.keys(object)) {
    if (!read.has(key) && !isAbsent(object[key])) warnings.add(`${path}.${key}`, `not ${what} field; dropped`, 'unread_key', true);
  }
}
