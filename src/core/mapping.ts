import { Value } from '@sinclair/typebox/value';
import { MappingTableSchema, type CheckName, type FieldRule, type Kind, type MappingTable } from '../../schemas/mapping.js';
import { CHECKS } from './checks/registry.js';
import { InstrumentationError } from './errors.js';
import { describeValue, kindLabel, PLAIN_DECIMAL, WRONG_KIND } from './kinds.js';
import { compilePath, readPath, type CompiledPath } from './paths.js';
import { isAbsent, isPlainObject, type PlainObject } from './plain-object.js';
import { MAX_VALUE_DEPTH, sanitize, TOO_DEEP } from './sanitize.js';
import { tableCode, type BasePlan, type RowPlan } from './table-code.js';
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
  /** The service's defaults of fields that rows read as their check's context (a phone's `country_id`). */
  readonly defaults?: Readonly<Record<string, string>> | undefined;
  /**
   * The record a table fills part of (a contact's `channels.sms`), for `configOnlyWith`; default:
   * the table's own target.
   */
  readonly record?: PlainObject | undefined;
}

/** A source path, with the object it reads from (its base, shared by rows) and the last key. */
interface CompiledSource extends CompiledPath {
  readonly base: number;
  readonly last: string;
}

/**
 * Per-field finishing, for what is not a plain copy (an address object mapped by its own table,
 * an empty object left out …): called with the resolved value; `undefined` leaves the field out.
 * Only the rows named when the table is compiled are finished.
 * Finishing in place keeps records free of `delete`, which would slow every later access.
 */
export type Finishers = Readonly<Record<string, (value: unknown) => unknown>>;

export interface CompiledTable {
  /** Resolves every row, in table order, into `target`. Throws InstrumentationError on a required field. */
  apply(scope: SourceScope, target?: PlainObject, finish?: Finishers): PlainObject;
  /** Keys of the object at `prefix` ('' = the subject itself) that some row reads. */
  readKeys(prefix: string): Set<string>;
  /** The table's name, as its code is headed. */
  readonly name: string;
  /** The generated JavaScript of `apply`, for reading (npm run tables). */
  readonly code: string;
}

type ApplyFunction = CompiledTable['apply'];

/**
 * A mapping table compiled once, at load time, into a function specialised for its rows
 * (table-code.ts): each source is a constant-key property read on an object looked up once per
 * call, each row's kind conversion and check are written out, and nothing is interpreted per event.
 * The table stays the only declaration of its fields: the code is derived from it, and it is
 * checked here as the engine used to check it at load time.
 */
export function compileTable<R>(table: MappingTable<R>, name: string, finished: readonly (keyof R & string)[] = []): CompiledTable {
  // Tables are data: a row the row schema refuses (an unknown kind or check, a misspelt key) stops
  // start-up here rather than mapping events wrongly.
  const refused = Value.Errors(MappingTableSchema, table).First();
  if (refused !== undefined) throw new Error(`Mapping table ${name}: ${refused.path} ${refused.message}`);
  // Many rows read from the same few objects (traits, context.traits, properties …): each is
  // looked up once per apply, and a source is then one property read on it.
  const bases: BasePlan[] = [];
  const baseIndex = new Map<string, number>();
  const sources: CompiledSource[] = [];
  const sourceKinds: Kind[] = [];
  const toSource = (text: string, kind: Kind): CompiledSource => {
    const path = compilePath(text);
    const parent = path.keys.slice(0, -1);
    const id = `${path.root}:${parent.join('.')}`;
    let base = baseIndex.get(id);
    if (base === undefined) {
      base = bases.push({ root: path.root, keys: parent }) - 1;
      baseIndex.set(id, base);
    }
    const source = { ...path, base, last: path.keys[path.keys.length - 1] as string };
    sources.push(source);
    sourceKinds.push(kind);
    return source;
  };
  const checks: ((value: string, context?: string) => string | undefined)[] = [];
  const hints: { readonly when: CompiledPath; readonly say: string }[] = [];
  const fields = Object.keys(table);
  const checkRules: FieldRule[] = [];
  const rows: RowPlan[] = Object.entries(table as Record<string, FieldRule>).map(([field, rule]) => {
    const first = sources.length;
    const rowSources = rule.from
      .map((text) => toSource(text, rule.kind))
      .map((s, i) => ({ base: s.base, last: s.last, index: first + i, root: s.root }));
    const position = fields.indexOf(field);
    // A context or gate field must be resolved before the row reads it.
    if (rule.context !== undefined && !fields.slice(0, position).includes(rule.context)) {
      throw new Error(`Mapping row ${field}: its context ${rule.context} is not an earlier row`);
    }
    if (rule.context !== undefined && rule.check === undefined) throw new Error(`Mapping row ${field}: a context needs a check`);
    if (rule.configOnlyWith !== undefined && !rule.from.some((text) => compilePath(text).root === 'config')) {
      throw new Error(`Mapping row ${field}: configOnlyWith without a config: source`);
    }
    if (rule.missingHint !== undefined && rule.required !== true) throw new Error(`Mapping row ${field}: a missing hint needs a required row`);
    const hint = rule.missingHint === undefined ? undefined : hints.push({ when: compilePath(rule.missingHint.when), say: rule.missingHint.say }) - 1;
    let check: number | undefined;
    if (rule.check !== undefined) {
      // A check judges text: on any other kind it would never run.
      if (rule.kind !== 'text' && rule.kind !== 'identifier') throw new Error(`Mapping row ${field}: a ${rule.check} check needs text`);
      const entry = CHECKS[rule.check];
      check = checks.push((value, context) => entry.run(value, rule, context)) - 1;
      checkRules.push(rule);
    }
    const missingError = missingErrorOf(rule);
    // A text of the row's own says what is missing; where to set it comes from the row's sources.
    const missingDetail = rule.what === undefined ? undefined : `set ${listOf(rule.from.map(displayPath))} (${rule.what})`;
    return {
      field,
      rule,
      sources: rowSources,
      missingError,
      ...(missingDetail === undefined ? {} : { missingDetail }),
      finished: finished.includes(field as keyof R & string),
      ...(check === undefined ? {} : { check }),
      ...(hint === undefined ? {} : { hint }),
    };
  });
  for (const field of finished) {
    if (!rows.some((row) => row.field === field)) throw new Error(`Mapping table ${name}: no row ${field} to finish`);
  }

  const sourceAt = (index: number): CompiledSource => sources[index] as CompiledSource;
  const helpers = {
    isPlainObject,
    sanitize,
    WRONG: WRONG_KIND,
    TOO_DEEP,
    PLAIN_DECIMAL,
    checks,
    wrongKind(scope: SourceScope, index: number, raw: unknown): void {
      const kind = sourceKinds[index] as Kind;
      scope.warnings.add(sourcePath(sourceAt(index), scope), `expected ${kindLabel(kind)}, got ${describeValue(raw)}; skipped`, 'wrong_kind');
    },
    tooDeep(scope: SourceScope, index: number): void {
      scope.warnings.add(sourcePath(sourceAt(index), scope), `nested deeper than ${MAX_VALUE_DEPTH} levels; skipped`, 'too_deep');
    },
    invalid(scope: SourceScope, index: number, check: number, outcome: 'ignored' | 'dropped', value: string, context?: string): void {
      const rule = checkRules[check] as FieldRule;
      const reason = CHECKS[rule.check as CheckName].invalid(rule, value, context);
      scope.warnings.add(sourcePath(sourceAt(index), scope), `${reason}; ${outcome}`, 'invalid');
    },
    /** A missing required field's detail, with the row's hint when the value it is about was sent. */
    hint(scope: SourceScope, index: number, detail: string | undefined): string | undefined {
      const { when, say } = hints[index] as (typeof hints)[number];
      const root = when.root === 'subject' ? scope.subject : when.root === 'integrations' ? scope.integrations : scope.config;
      if (isAbsent(readPath(root, when.keys))) return detail;
      return detail === undefined ? say : `${detail}; ${say}`;
    },
    fail: (message: string, detail?: string) => new InstrumentationError(detail === undefined ? message : `${message}: ${detail}`),
    /** `<path> "<value>" <what is wrong>` for checks of values that are never personal data, else the path alone. */
    shown(scope: SourceScope, index: number, check: number, raw: unknown): string {
      const explain = CHECKS[(checkRules[check] as FieldRule).check as CheckName].explain;
      const path = sourcePath(sourceAt(index), scope);
      if (explain === undefined) return path;
      const value = valueText(raw);
      return value === undefined ? `${path} ${explain(String(raw))}` : `${path} ${value} ${explain(String(raw))}`;
    },
    notANumber(scope: SourceScope, index: number, raw: unknown): string {
      const value = valueText(raw);
      return `${sourcePath(sourceAt(index), scope)} ${value === undefined ? 'is not a number' : `is ${value}`}; send a number or a plain decimal string such as "12.50"`;
    },
  };
  const code = tableCode(name, bases, rows, sources.map((s) => s.text));
  // Generated from the table above, never from input.
  const apply = new Function('helpers', code)(helpers) as ApplyFunction;
  return {
    apply,
    name,
    code,
    readKeys(prefix) {
      const prefixKeys = prefix === '' ? [] : prefix.split('.');
      const keys = new Set<string>();
      for (const source of sources) {
        if (source.root !== 'subject' || source.keys.length !== prefixKeys.length + 1) continue;
        if (prefixKeys.every((k, i) => source.keys[i] === k)) keys.add(source.keys[prefixKeys.length] as string);
      }
      return keys;
    },
  };
}

/**
 * An email or a phone number where a time, a currency or an amount belongs: such a value is
 * never shown, whatever field it was sent in.
 */
const PHONE_LIKE = /^[+\d\s().-]+$/;
function looksPersonal(text: string): boolean {
  if (text.includes('@')) return true;
  const digits = text.replace(/\D/g, '').length;
  return PHONE_LIKE.test(text.trim()) && (text.trim().startsWith('+') || digits >= 9);
}

/** A value as an error shows it (short, JSON-quoted when text; a list or object by what it is), or undefined when it may be personal. */
function valueText(raw: unknown): string | undefined {
  if (typeof raw === 'string') return looksPersonal(raw) ? undefined : JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw);
  if (typeof raw === 'number') return looksPersonal(String(raw)) ? undefined : String(raw);
  if (typeof raw === 'boolean') return String(raw);
  return describeValue(raw);
}

/** A source path as a sender writes it: the integrations object and the config by their place in the request. */
function displayPath(text: string): string {
  const path = compilePath(text);
  if (path.root === 'integrations') return `integrations.Ometria.${path.keys.join('.')}`;
  if (path.root === 'config') return `destination.Config.${path.keys.join('.')}`;
  return text;
}

/** `a`, `a or b`, `a, b or c`. */
function listOf(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] as string}`;
}

/** The error of a required row none of whose sources holds a value. */
export function missingErrorOf(rule: FieldRule): string {
  return rule.missingError ?? `Missing required value from ${JSON.stringify(rule.from)}`;
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
