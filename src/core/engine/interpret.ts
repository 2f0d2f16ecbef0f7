import { Value } from '@sinclair/typebox/value';
import { FIELD_NAME, MappingTableSchema, type FieldRule, type MappingTable } from '../../../schemas/mapping.js';
import { CHECKS } from './checks/registry.js';
import { InstrumentationError } from '../errors.js';
import { describeValue, KINDS, WRONG_KIND } from './kinds.js';
import { compilePath, readPath, type CompiledPath, type SourceRoot } from './paths.js';
import { isAbsent, type PlainObject } from '../plain-object.js';
import { MAX_VALUE_DEPTH, TOO_DEEP } from './sanitize.js';
import type { Warnings } from './warnings.js';

/**
 * The mapping engine as docs/MAPPING.md ("How to read these tables") describes it, written plainly:
 * `interpret` applies a table's rows one by one. The tables that run per event are compiled from
 * the same rows (mapping.ts, table-code.ts) and held to this engine by a property test
 * (test/core/compiled-tables.test.ts). The two share the table as read here (`readTable`), the kind
 * rules (kinds.ts), the checks (checks/registry.ts) and every warning and error text (below);
 * what is written twice is only the order in which a row does things.
 */

/** What a table's source paths read, and where warnings go. */
export interface SourceScope {
  /** What plain paths read: the message, or a line item, an address … */
  readonly subject: unknown;
  /** Prefix of plain paths in warnings, e.g. `properties.products[2].`. */
  readonly subjectPath: string;
  readonly integrations?: PlainObject | undefined;
  /** Where the integrations object was found, e.g. `integrations.Acme`. */
  readonly integrationsPath?: string | undefined;
  /** Where texts tell a sender to set integrations values: the destination's first key, e.g. `integrations.Acme`. */
  readonly integrationsDefault?: string | undefined;
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

/**
 * Per-field finishing, for what is not a plain copy (an address object mapped by its own table,
 * an empty object left out …): called with the resolved value; `undefined` leaves the field out.
 * Only the rows named when the table is read are finished.
 * Finishing in place keeps records free of `delete`, which would slow every later access.
 */
export type Finishers = Readonly<Record<string, (value: unknown) => unknown>>;

/** A check bound to its row: the value to write, or undefined when the value is invalid. */
export type Judge = (value: string, context?: string) => string | undefined;

/** One row of a table, read and checked once. */
export interface TableRow {
  readonly field: string;
  readonly rule: FieldRule;
  /** The row's sources, in precedence order. */
  readonly sources: readonly CompiledPath[];
  /** The row's check, when it has one. */
  readonly judge?: Judge;
  /** Whether `apply`'s caller finishes the value (Finishers): only such rows look for a finisher. */
  readonly finished: boolean;
  /** The error of a required row none of whose sources holds a value. */
  readonly missingError: string;
  /** For a required row: the path whose value, when sent, makes the missing error go on with `say`. */
  readonly hint?: { readonly when: CompiledPath; readonly say: string };
}

/** A mapping table as both engines use it: checked, its paths split, its rows in table order. */
export interface ReadTable {
  readonly name: string;
  readonly rows: readonly TableRow[];
}

/** A table's name: it heads its compiled code and names it in stack traces (`tables/<name>.js`). */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A table checked as data, once, at load time: a row the row schema refuses (an unknown kind or
 * check, a misspelt key, a field or path of another shape), a context or gate that cannot work,
 * or a finished row that does not exist stops start-up here rather than mapping events wrongly.
 */
export function readTable<R>(table: MappingTable<R>, name: string, finished: readonly (keyof R & string)[] = []): ReadTable {
  if (!TABLE_NAME.test(name)) throw new Error(`Mapping table ${JSON.stringify(name)}: a table name is letters, digits and _`);
  const fields = Object.keys(table);
  for (const field of fields) {
    // Fields are written as properties of records: one that names an Object.prototype member
    // (`__proto__`, `constructor`) would not be a plain property.
    if (!FIELD_NAME.test(field) || field in Object.prototype) {
      throw new Error(`Mapping table ${name}: ${JSON.stringify(field)} cannot be a field (an optional @, then letters, digits and _)`);
    }
  }
  const refused = Value.Errors(MappingTableSchema, table).First();
  if (refused !== undefined) throw new Error(`Mapping table ${name}: ${refused.path} ${refused.message}`);
  const rows = Object.entries(table as Record<string, FieldRule>).map(([field, rule], position): TableRow => {
    const sources = rule.from.map(compilePath);
    // A context field must be resolved before the row reads it.
    if (rule.context !== undefined && !fields.slice(0, position).includes(rule.context)) {
      throw new Error(`Mapping row ${field}: its context ${rule.context} is not an earlier row`);
    }
    if (rule.context !== undefined && rule.check === undefined) throw new Error(`Mapping row ${field}: a context needs a check`);
    if (rule.configOnlyWith !== undefined && !sources.some((source) => source.root === 'config')) {
      throw new Error(`Mapping row ${field}: configOnlyWith without a config: source`);
    }
    if (rule.missingHint !== undefined && rule.required !== true) throw new Error(`Mapping row ${field}: a missing hint needs a required row`);
    let judge: Judge | undefined;
    if (rule.check !== undefined) {
      // A check judges text: on any other kind it would never run.
      if (rule.kind !== 'text' && rule.kind !== 'identifier') throw new Error(`Mapping row ${field}: a ${rule.check} check needs text`);
      const { run } = CHECKS[rule.check];
      judge = (value, context) => run(value, rule, context);
    }
    return {
      field,
      rule,
      sources,
      ...(judge === undefined ? {} : { judge }),
      finished: finished.includes(field as keyof R & string),
      missingError: missingErrorOf(rule),
      ...(rule.missingHint === undefined ? {} : { hint: { when: compilePath(rule.missingHint.when), say: rule.missingHint.say } }),
    };
  });
  for (const field of finished) {
    if (!rows.some((row) => row.field === field)) throw new Error(`Mapping table ${name}: no row ${field} to finish`);
  }
  return { name, rows };
}

/**
 * Resolves every row, in table order, into `target` (docs/MAPPING.md, "How to read these
 * tables"), and finishes the rows read as finished. Throws InstrumentationError on a required field.
 */
export function interpret(table: ReadTable, scope: SourceScope, target: PlainObject = {}, finish?: Finishers): PlainObject {
  for (const row of table.rows) {
    let value = resolveRow(row, scope, target);
    if (value === undefined) continue;
    const finisher = row.finished ? finish?.[row.field] : undefined;
    if (finisher !== undefined) value = finisher(value);
    if (value !== undefined) target[row.field] = value;
  }
  return target;
}

/** One row's value, or undefined when it is left out. */
function resolveRow(row: TableRow, scope: SourceScope, target: PlainObject): unknown {
  const { rule } = row;
  // The check's context: the value of an earlier field of the record, else the service's default.
  let context: unknown;
  if (rule.context !== undefined) {
    context = target[rule.context];
    if (context === undefined && scope.defaults !== undefined) context = scope.defaults[rule.context];
  }
  // A `configOnlyWith` row reads its config sources only when the record has that field.
  const readsConfig = rule.configOnlyWith === undefined || (scope.record ?? target)[rule.configOnlyWith] !== undefined;
  let firstWrongKind: { readonly source: CompiledPath; readonly raw: unknown } | undefined;
  for (const source of row.sources) {
    if (source.root === 'config' && !readsConfig) continue;
    // The first present value of the right kind wins.
    const raw = readPath(rootOf(source.root, scope), source.keys);
    if (isAbsent(raw)) continue;
    const value = KINDS[rule.kind].convert(raw);
    if (value === WRONG_KIND) {
      firstWrongKind ??= { source, raw };
      warnWrongKind(scope, row, source, raw);
      continue;
    }
    if (value === TOO_DEEP) {
      warnTooDeep(scope, source);
      continue;
    }
    if (row.judge === undefined) return value;
    // The check judges that value: an invalid one is an error, is passed over, or is dropped.
    const judged = row.judge(value as string, context as string | undefined);
    if (judged !== undefined) return judged;
    if (rule.invalidError !== undefined) throw invalidValueError(scope, row, source, raw);
    if (rule.invalidFallsThrough === true) {
      warnInvalid(scope, row, source, 'ignored', value as string, context as string | undefined);
      continue;
    }
    warnInvalid(scope, row, source, 'dropped', value as string, context as string | undefined);
    if (rule.required === true) throw missingError(scope, row);
    return undefined;
  }
  if (rule.required !== true) return undefined;
  // A required amount sent only as values that are not numbers is told so.
  if (rule.kind === 'amount' && firstWrongKind !== undefined) throw notANumberError(scope, row, firstWrongKind.source, firstWrongKind.raw);
  throw missingError(scope, row);
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

// Warning and error texts, the same for both engines: the compiled tables call these.

export function warnWrongKind(scope: SourceScope, row: TableRow, source: CompiledPath, raw: unknown): void {
  scope.warnings.add(sourcePath(source, scope), `expected ${KINDS[row.rule.kind].label}, got ${describeValue(raw)}; skipped`, 'wrong_kind');
}

export function warnTooDeep(scope: SourceScope, source: CompiledPath): void {
  scope.warnings.add(sourcePath(source, scope), `nested deeper than ${MAX_VALUE_DEPTH} levels; skipped`, 'too_deep');
}

/** An invalid value, `ignored` (the next source applies) or `dropped`. */
export function warnInvalid(
  scope: SourceScope,
  row: TableRow,
  source: CompiledPath,
  outcome: 'ignored' | 'dropped',
  value: string,
  context?: string,
): void {
  const reason = CHECKS[checkOf(row)].invalid(row.rule, value, context);
  scope.warnings.add(sourcePath(source, scope), `${reason}; ${outcome}`, 'invalid');
}

/** A required field none of whose sources holds a value (with the row's hint when the value it is about was sent). */
export function missingError(scope: SourceScope, row: TableRow): InstrumentationError {
  // A text of the row's own says what is missing; where to set it comes from the row's sources.
  let detail = row.rule.what === undefined ? undefined : `set ${listOf(row.sources.map((source) => displayPath(source, scope)))} (${row.rule.what})`;
  if (row.hint !== undefined && !isAbsent(readPath(rootOf(row.hint.when.root, scope), row.hint.when.keys))) {
    detail = detail === undefined ? row.hint.say : `${detail}; ${row.hint.say}`;
  }
  return failure(row.missingError, detail);
}

/** A value its row's check refuses, on a row whose invalid value is an error: `<path> "<value>" <what is wrong>`. */
export function invalidValueError(scope: SourceScope, row: TableRow, source: CompiledPath, raw: unknown): InstrumentationError {
  const { explain } = CHECKS[checkOf(row)];
  const path = sourcePath(source, scope);
  let detail = path;
  // Only checks of values that are never personal data (times, currency codes) show the value.
  if (explain !== undefined) {
    const value = valueText(raw);
    detail = value === undefined ? `${path} ${explain(String(raw))}` : `${path} ${value} ${explain(String(raw))}`;
  }
  return failure(row.rule.invalidError as string, detail);
}

/** A required amount whose sources held only values of other kinds: named by the first of them. */
export function notANumberError(scope: SourceScope, row: TableRow, source: CompiledPath, raw: unknown): InstrumentationError {
  const value = valueText(raw);
  const detail = `${sourcePath(source, scope)} ${value === undefined ? 'is not a number' : `is ${value}`}; send a number or a plain decimal string such as "12.50"`;
  return failure(`Parameter ${row.field} must be a number`, detail);
}

/** The error of a required row none of whose sources holds a value. */
export function missingErrorOf(rule: FieldRule): string {
  return rule.missingError ?? `Missing required value from ${JSON.stringify(rule.from)}`;
}

function checkOf(row: TableRow): NonNullable<FieldRule['check']> {
  return row.rule.check as NonNullable<FieldRule['check']>;
}

function failure(message: string, detail: string | undefined): InstrumentationError {
  return new InstrumentationError(detail === undefined ? message : `${message}: ${detail}`);
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
function displayPath(path: CompiledPath, scope: SourceScope): string {
  if (path.root === 'integrations') return `${integrationsOf(scope)}.${path.keys.join('.')}`;
  if (path.root === 'config') return `destination.Config.${path.keys.join('.')}`;
  return path.text;
}

/** The destination's integrations object as texts name it (the scope says which key is the destination's). */
function integrationsOf(scope: SourceScope): string {
  return scope.integrationsDefault ?? 'integrations.<destination>';
}

/** `a`, `a or b`, `a, b or c`. */
function listOf(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] as string}`;
}

/** Where a warning or error says a value was read. */
function sourcePath(source: CompiledPath, scope: SourceScope): string {
  switch (source.root) {
    case 'subject':
      return scope.subjectPath + source.text;
    case 'integrations':
      return `${scope.integrationsPath ?? integrationsOf(scope)}.${source.keys.join('.')}`;
    case 'config':
      return `Config.${source.keys.join('.')}`;
  }
}
