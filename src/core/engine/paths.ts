import { isPlainObject, ownValue } from '../plain-object.js';

export type SourceRoot = 'subject' | 'integrations' | 'config';

/** A mapping-table source path, split once at load time. */
export interface CompiledPath {
  readonly text: string;
  readonly root: SourceRoot;
  readonly keys: readonly string[];
}

const ROOT_PREFIXES: ReadonlyArray<readonly [string, SourceRoot]> = [
  ['integrations:', 'integrations'],
  ['config:', 'config'],
];

/**
 * A table path, checked once: no key may name a member of Object.prototype, so the compiled
 * table's plain property reads can never pick up `constructor` or `toString`.
 */
export function compilePath(text: string): CompiledPath {
  const prefixed = ROOT_PREFIXES.find(([prefix]) => text.startsWith(prefix));
  const path: CompiledPath = prefixed
    ? { text, root: prefixed[1], keys: text.slice(prefixed[0].length).split('.') }
    : { text, root: 'subject', keys: text.split('.') };
  for (const key of path.keys) {
    if (key === '' || key in Object.prototype) throw new Error(`Mapping path ${text}: "${key}" cannot be a key`);
  }
  return path;
}

/** Follows `keys` through plain objects only; anything else on the way means "absent". */
export function readPath(start: unknown, keys: readonly string[]): unknown {
  let value = start;
  for (const key of keys) {
    if (!isPlainObject(value)) return undefined;
    value = ownValue(value, key);
  }
  return value;
}
