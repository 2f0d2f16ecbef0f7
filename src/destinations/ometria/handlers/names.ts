import type { SourceScope } from '../../../core/engine/mapping.js';
import type { PlainObject } from '../../../core/plain-object.js';
import { nameFields } from '../mappings/contact.js';

interface NameTargets {
  readonly first: string;
  readonly middle?: string;
  readonly last: string;
}

/**
 * docs/MAPPING.md, "`name`": `name` fills only the name fields still empty. One word → first; two → first,
 * last; more → first, the middle words joined by one space, last. Explicit name traits always win.
 */
export function fillFromName(scope: SourceScope, record: PlainObject, targets: NameTargets): void {
  const { first, middle, last } = targets;
  const anyEmpty =
    record[first] === undefined || record[last] === undefined || (middle !== undefined && record[middle] === undefined);
  if (!anyEmpty) return;
  const { name } = nameFields.apply(scope);
  if (typeof name !== 'string') return;
  const words = name.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return;
  record[first] ??= words[0];
  if (words.length >= 2) record[last] ??= words[words.length - 1];
  if (middle !== undefined && words.length >= 3) record[middle] ??= words.slice(1, -1).join(' ');
}
