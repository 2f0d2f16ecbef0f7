import type { FieldRule, MappingTable } from '../../schemas/mapping.js';
import { CHECKS } from './checks/registry.js';
import { InstrumentationError } from './errors.js';
import { asKind, describeValue, kindLabel, WRONG_KIND } from './kinds.js';
import { compilePath, readTablePath, type CompiledPath, type SourceRoot } from './paths.js';
import { isAbsent, type PlainObject } from './plain-object.js';
import { MAX_VALUE_DEPTH } from './sanitize.js';
import type { Warnings } from './warnings.js';

/** What a table's source paths read, and where warnings go. */
export interface SourceScope {
  /** What plain paths read: the message, or a line item, an address … */
  readonly subject: unknown;
  /** Prefix of plain paths in warnings, e.g. `properties.products[2].`. */
  readonly subjectPath: string;
  readonly integrations?: PlainObject | undefined;
  /** Where the integrations object was found, e.g. `integrations.Ometria`. */
  readonly integrationsPath?: string | undefined;
  readonly config?: PlainObject | undefined;
  readonly warnings: Warnings;
}

/** A source path split into the object it reads from (its base, shared by rows) and the last key. */
interface CompiledSource extends CompiledPath {
  readonly base: number;
  readonly last: string;
}

interface Base {
  readonly root: SourceRoot;
  readonly keys: readonly string[];
}

interface CompiledRow {
  readonly field: string;
  readonly rule: FieldRule;
  readonly sources: readonly CompiledSource[];
  readonly missingError: string;
}

/**
 * Per-field finishing, for what is not a plain copy (an address object mapped by its own table,
 * an empty object left out …): called with the resolved value; `undefined` leaves the field out.
 * Finishing in place keeps records free of `delete`, which would slow every later access.
 */
export type Finishers = Readonly<Record<string, (value: unknown) => unknown>>;

export interface CompiledTable {
  readonly rows: readonly CompiledRow[];
  /** Resolves every row, in table order, into `target`. Throws InstrumentationError on a required field. */
  apply(scope: SourceScope, target?: PlainObject, finish?: Finishers): PlainObject;
  /** Keys of the object at `prefix` ('' = the subject itself) that some row reads. */
  readKeys(prefix: string): Set<string>;
}

export function compileTable<R>(table: MappingTable<R>): CompiledTable {
  // Many rows read from the same few objects (traits, context.traits, properties …): each is
  // looked up once per apply, and a source is then one property read on it.
  const bases: Base[] = [];
  const baseIndex = new Map<string, number>();
  const toSource = (text: string): CompiledSource => {
    const path = compilePath(text);
    const parent = path.keys.slice(0, -1);
    const id = `${path.root}:${parent.join('.')}`;
    let base = baseIndex.get(id);
    if (base === undefined) {
      base = bases.push({ root: path.root, keys: parent }) - 1;
      baseIndex.set(id, base);
    }
    return { ...path, base, last: path.keys[path.keys.length - 1] as string };
  };
  const rows: CompiledRow[] = Object.entries(table as Record<string, FieldRule>).map(([field, rule]) => {
    const sources = rule.from.map(toSource);
    return {
      field,
      rule,
      sources,
      missingError: rule.missingError ?? `Missing required value from ${JSON.stringify(rule.from)}`,
    };
  });
  return {
    rows,
    apply(scope, target = {}, finish) {
      const objects = new Array<PlainObject | undefined>(bases.length);
      for (let i = 0; i < bases.length; i++) {
        const base = bases[i] as Base;
        const value = readTablePath(rootOf(base.root, scope), base.keys);
        objects[i] = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as PlainObject) : undefined;
      }
      for (const row of rows) {
        let value = resolveRow(row, scope, objects);
        if (value === undefined) continue;
        const finisher = finish?.[row.field];
        if (finisher !== undefined) value = finisher(value);
        if (value !== undefined) target[row.field] = value;
      }
      return target;
    },
    readKeys(prefix) {
      const prefixKeys = prefix === '' ? [] : prefix.split('.');
      const keys = new Set<string>();
      for (const row of rows) {
        for (const source of row.sources) {
          if (source.root !== 'subject' || source.keys.length !== prefixKeys.length + 1) continue;
          if (prefixKeys.every((k, i) => source.keys[i] === k)) keys.add(source.keys[prefixKeys.length] as string);
        }
      }
      return keys;
    },
  };
}

function rootOf(root: SourceRoot, scope: SourceScope): unknown {
  switch (root) {
    case 'subject':
      return scope.subject;
    case 'integrations':
      return scope.integrations;
    case 'config':
      return scope.config;
  }
}

function sourcePath(source: CompiledPath, scope: SourceScope): string {
  switch (source.root) {
    case 'subject':
      return scope.subjectPath + source.text;
    case 'integrations':
      return `${scope.integrationsPath ?? 'integrations.Ometria'}.${source.keys.join('.')}`;
    case 'config':
      return `Config.${source.keys.join('.')}`;
  }
}

/** SPEC §5: first present value of the right kind wins; its validity check then decides. */
function resolveRow(row: CompiledRow, scope: SourceScope, objects: readonly (PlainObject | undefined)[]): unknown {
  const { rule } = row;
  let sawWrongKind = false;
  for (const source of row.sources) {
    const raw = objects[source.base]?.[source.last];
    if (isAbsent(raw)) continue;
    const value = asKind(rule.kind, raw);
    if (value === WRONG_KIND) {
      sawWrongKind = true;
      scope.warnings.add(sourcePath(source, scope), `expected ${kindLabel(rule.kind)}, got ${describeValue(raw)}; skipped`);
      continue;
    }
    if (typeof value === 'symbol') {
      scope.warnings.add(sourcePath(source, scope), `nested deeper than ${MAX_VALUE_DEPTH} levels; skipped`);
      continue;
    }
    if (rule.check === undefined || typeof value !== 'string') return value;
    const check = CHECKS[rule.check];
    const checked = check.run(value, rule);
    if (checked !== undefined) return checked;
    if (rule.invalidError !== undefined) throw new InstrumentationError(rule.invalidError);
    if (rule.invalidFallsThrough === true) {
      scope.warnings.add(sourcePath(source, scope), `${check.invalid(rule)}; ignored`);
      continue;
    }
    scope.warnings.add(sourcePath(source, scope), `${check.invalid(rule)}; dropped`);
    if (rule.required === true) throw new InstrumentationError(row.missingError);
    return undefined;
  }
  if (rule.required === true) {
    throw new InstrumentationError(
      sawWrongKind && rule.kind === 'amount' ? `Parameter ${row.field} must be a number` : row.missingError,
    );
  }
  return undefined;
}
