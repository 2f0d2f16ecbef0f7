import { isPlainObject, ownValue } from './plain-object.js';

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

export function compilePath(text: string): CompiledPath {
  for (const [prefix, root] of ROOT_PREFIXES) {
    if (text.startsWith(prefix)) return { text, root, keys: text.slice(prefix.length).split('.') };
  }
  return { text, root: 'subject', keys: text.split('.') };
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
