export type PlainObject = Record<string, unknown>;

/** JSON objects only: arrays and null are not objects here. */
export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property, so `constructor`, `toString` and friends never leak in from the prototype. */
export function ownValue(object: PlainObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** `null`, `undefined` and `""` are absent everywhere; `0` and `false` are present. */
export function isAbsent(value: unknown): value is null | undefined | '' {
  return value === undefined || value === null || value === '';
}
