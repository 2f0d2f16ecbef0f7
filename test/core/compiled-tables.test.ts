import t from 'tap';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import type { FieldRule } from '../../schemas/mapping.js';
import { InstrumentationError } from '../../src/core/errors.js';
import { interpret, readTable, type Finishers, type ReadTable, type SourceScope } from '../../src/core/engine/interpret.js';
import type { CompiledTable } from '../../src/core/engine/mapping.js';
import { compilePath } from '../../src/core/engine/paths.js';
import { isPlainObject, type PlainObject } from '../../src/core/plain-object.js';
import { Warnings, type Warning } from '../../src/core/engine/warnings.js';
import { CONTACT_TABLE, contactFields, NAME_TABLE, nameFields, SMS_CHANNEL_TABLE, smsChannelFields } from '../../src/destinations/ometria/mappings/contact.js';
import { CUSTOM_EVENT_TABLE, customEventFields } from '../../src/destinations/ometria/mappings/custom-event.js';
import {
  ADDRESS_TABLE,
  addressFields,
  LINE_ITEM_TABLE,
  lineItemFields,
  ORDER_CUSTOMER_TABLE,
  ORDER_TABLE,
  ORDER_UPDATE_TABLE,
  orderCustomerFields,
  orderFields,
  orderUpdateFields,
  VARIANT_OPTION_TABLE,
  variantOptionFields,
} from '../../src/destinations/ometria/mappings/order.js';

// The compiled tables (what runs per event) are held to the interpreter (docs/MAPPING.md, "How to
// read these tables", written plainly in src/core/engine/interpret.ts) on generated events: the same
// record, warnings, finisher calls and errors, for every real table.

type Rows = Readonly<Record<string, FieldRule>>;

interface Case {
  readonly table: Rows;
  readonly compiled: CompiledTable;
  /** Runs of this table: the contact table has the most rows and rules. */
  readonly runs: number;
}

const CASES: readonly Case[] = [
  { table: CONTACT_TABLE, compiled: contactFields, runs: 1200 },
  { table: SMS_CHANNEL_TABLE, compiled: smsChannelFields, runs: 400 },
  { table: NAME_TABLE, compiled: nameFields, runs: 150 },
  { table: ORDER_TABLE, compiled: orderFields, runs: 800 },
  { table: ORDER_UPDATE_TABLE, compiled: orderUpdateFields, runs: 150 },
  { table: ORDER_CUSTOMER_TABLE, compiled: orderCustomerFields, runs: 300 },
  { table: ADDRESS_TABLE, compiled: addressFields, runs: 300 },
  { table: LINE_ITEM_TABLE, compiled: lineItemFields, runs: 400 },
  { table: VARIANT_OPTION_TABLE, compiled: variantOptionFields, runs: 150 },
  { table: CUSTOM_EVENT_TABLE, compiled: customEventFields, runs: 400 },
];

/** The rows a compiled table finishes, as its code says: the interpreter reads the table with the same. */
function finishedRows(compiled: CompiledTable): string[] {
  return [...compiled.code.matchAll(/finish\[("[^"]*")\]/g)].map((match) => JSON.parse(match[1] as string) as string);
}

// Values of every kind, and the texts each check judges, valid and not.
const PHONES = [
  '+447911123456', '+44 7911 123456', '07911 123456', '0044 7911 123456', '447911123456', '+1 202-555-0173', '(202) 555-0173',
  '+33 6 12 34 56 78', '06 12 34 56 78', '+49 1512 3456789', '12345', '+999 123', 'ext. 5', 'tel:+447911123456', '+44 7911 123456 ext. 5',
  '+672 1 23456', '  +447911123456  ',
];
const COUNTRIES = ['GB', 'gb', 'GBR', 'United Kingdom', 'germany', 'UK', 'EU', '826', 'AQ', 'US', 'us', 'XX', ' fr ', 'France', 'Narnia'];
const TIME_ZONES = ['Europe/London', 'europe/london', 'America/New_York', 'GMT+0100', '+05:30', 'UTC', 'Mars/Olympus', 'Etc/GMT+1', ' Europe/London'];
const TIMESTAMPS = [
  '2024-03-01T09:00:00Z', '2024-03-01T09:00:00.123+01:00', '2024-03-01T09:00', '2024-03-01T09:00:00+0100', '2024-03-01T09:00:00+01',
  '2024-02-30T00:00:00Z', '2024-03-01 09:00:00', '2024-W09-5', '2024-03-01T24:00:00Z', '2024-13-45 not valid', '1709283600000', '2024-03-01',
];
const CURRENCIES = ['GBP', ' gbp', 'eur', 'usd ', 'XXX', 'GB', 'EURO', '£', 'XTS'];
const NUMERIC_TEXTS = [' 12.50 ', '-3', '0', '-0', '1e3', '0x10', '.5', '+5', '12 GBP', '1.', 'NaN', 'Infinity', '007', '12345678901', '+447911123456'];
const OTHER_TEXTS = ['ada@example.com', 'Ada Lovelace', 'a', ' ', 'x'.repeat(80), 'true', 'null', '{}', '[]', 'f', 'Female ', 'MALE', 'others', 'nope'];

function deep(levels: number, list: boolean): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = list ? [value] : { d: value };
  return value;
}

/** Values a source may hold; `oneOf` inputs of the table's own rows among them. */
function valueOf(table: Rows): fc.Arbitrary<unknown> {
  const oneOf = Object.values(table).flatMap((rule) => Object.keys(rule.values ?? {}));
  const texts = [...PHONES, ...COUNTRIES, ...TIME_ZONES, ...TIMESTAMPS, ...CURRENCIES, ...NUMERIC_TEXTS, ...OTHER_TEXTS, ...oneOf, ...oneOf.map((v) => ` ${v.toLowerCase()}`)];
  return fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...texts) },
    { weight: 2, arbitrary: fc.constantFrom(undefined, null, '') },
    { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 2, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.constantFrom(0, -0, 12.5, 3, -1, 447911123456, 7911123456, 1709283600000, Number.NaN, Number.POSITIVE_INFINITY) },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 2, arbitrary: fc.boolean() },
    { weight: 2, arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }) },
    { weight: 2, arbitrary: fc.dictionary(fc.constantFrom('a', 'b', 'city', 'id', '__proto__', 'constructor'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom({}, [], JSON.parse('{"__proto__":{"x":1},"a":1,"constructor":2,"prototype":3}'), [JSON.parse('{"__proto__":1,"b":2}')]) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(62, 63, 64, 65, 70), fc.boolean()).map(([levels, list]) => deep(levels, list)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(63, 64, 70), fc.boolean()).map(([levels, list]) => ({ nested: deep(levels, list) })) },
  );
}

/** A value the row takes, for runs that give every required row one (else few runs pass the first required rows). */
function validFor(rule: FieldRule): unknown {
  switch (rule.check) {
    case 'isoDateTime':
      return '2024-03-01T09:00:00Z';
    case 'currency':
      return 'GBP';
    case 'e164':
      return '+447911123456';
    case 'country':
      return 'GB';
    case 'timezone':
      return 'Europe/London';
    case 'oneOf':
      return Object.keys(rule.values ?? {})[0];
    case undefined:
      return rule.kind === 'amount' ? 12.5 : rule.kind === 'flag' ? true : rule.kind === 'list' ? [1] : rule.kind === 'object' ? { a: 1 } : 'ada@example.com';
  }
}

interface Roots {
  subject: PlainObject;
  integrations: PlainObject;
  config: PlainObject;
}

function put(roots: Roots, text: string, value: unknown): void {
  const path = compilePath(text);
  let object = roots[path.root];
  for (const key of path.keys.slice(0, -1)) {
    const next = object[key];
    object = (isPlainObject(next) ? next : (object[key] = {})) as PlainObject;
  }
  object[path.keys[path.keys.length - 1] as string] = value;
}

/** Objects on the way to a source (`context`, `context.traits` …), which a run may replace by something else. */
function prefixesOf(paths: readonly string[]): string[] {
  const prefixes = new Set<string>();
  for (const text of paths) {
    const path = compilePath(text);
    for (let i = 1; i < path.keys.length; i++) prefixes.add(`${path.root === 'subject' ? '' : `${path.root}:`}${path.keys.slice(0, i).join('.')}`);
  }
  return [...prefixes];
}

/** `usually` in most runs, else a draw of `arbitrary`. */
function rarely<T, U>(arbitrary: fc.Arbitrary<T>, usually: U): fc.Arbitrary<T | U> {
  return fc.oneof({ weight: 1, arbitrary }, { weight: 6, arbitrary: fc.constant(usually) });
}

/** One run's input: what the sources hold and the rest of the scope. */
function inputOf(table: Rows, finished: readonly string[]) {
  const rules = Object.values(table);
  const paths = [...new Set(rules.flatMap((rule) => [...rule.from, ...(rule.missingHint === undefined ? [] : [rule.missingHint.when])]))];
  const prefixes = prefixesOf(paths);
  const fields = Object.keys(table);
  const value = valueOf(table);
  return fc.record({
    // Required rows given a valid value at one of their sources (by index; most rows, not all):
    // before the values below, which may overwrite it, or after them.
    required: fc.constantFrom('none', 'before', 'after'),
    requiredAt: fc.array(fc.option(fc.nat(), { freq: 4, nil: undefined }), { minLength: fields.length, maxLength: fields.length }),
    values: fc.array(fc.tuple(fc.constantFrom(...paths), value), { maxLength: Math.max(4, paths.length * 2), size: 'max' }),
    // Now and then an object on the way to a source, or the subject itself, is something else.
    replaced: rarely(fc.array(fc.tuple(fc.constantFrom(...prefixes.length === 0 ? ['-'] : prefixes), fc.constantFrom<unknown>(null, 'x', 5, [], [{}], true)), { minLength: 1, maxLength: 2 }), []),
    subjectItself: rarely(fc.constantFrom<unknown>('a message', 7, null, []), undefined),
    integrations: fc.constantFrom('object', 'object', 'object', 'none'),
    config: fc.constantFrom('object', 'object', 'object', 'none'),
    subjectPath: fc.constantFrom('', 'properties.products[3].'),
    integrationsPath: fc.constantFrom(undefined, 'integrations.ometria'),
    defaults: fc.constantFrom<Readonly<Record<string, string>> | undefined>(undefined, {}, { country_id: 'GB' }, { country_id: 'US' }, { country_id: 'AQ' }, { country_id: 'DE' }),
    record: fc.constantFrom<PlainObject | undefined>(undefined, {}, { phone_number: '+447911123456' }, { phone_number: null }),
    target: fc.constantFrom<PlainObject>({}, {}, { '@type': 'contact' }, { country_id: 'FR' }, { phone_number: '+33612345678', id: 'kept' }),
    finish: fc.constantFrom(...(finished.length === 0 ? [false] : [true, true, false])),
  });
}

type Input = ReturnType<typeof inputOf> extends fc.Arbitrary<infer I> ? I : never;

function scopeOf(table: Rows, input: Input, warnings: Warnings): SourceScope {
  const roots: Roots = { subject: {}, integrations: {}, config: {} };
  const putRequired = () =>
    Object.values(table).forEach((rule, i) => {
      const at = input.requiredAt[i];
      if (rule.required === true && at !== undefined) put(roots, rule.from[at % rule.from.length] as string, validFor(rule));
    });
  if (input.required === 'before') putRequired();
  for (const [path, value] of input.values) put(roots, path, value);
  for (const [prefix, value] of input.replaced) if (prefix !== '-') put(roots, prefix, value);
  if (input.required === 'after') putRequired();
  return {
    subject: input.subjectItself ?? roots.subject,
    subjectPath: input.subjectPath,
    integrations: input.integrations === 'object' ? roots.integrations : undefined,
    integrationsPath: input.integrationsPath,
    config: input.config === 'object' ? roots.config : undefined,
    warnings,
    defaults: input.defaults,
    record: input.record,
  };
}

interface Outcome {
  readonly target: PlainObject;
  readonly keys: readonly string[];
  readonly warnings: readonly Warning[];
  readonly finished: readonly unknown[];
  readonly error?: { readonly name: string; readonly message: string; readonly instrumentation: boolean };
}

/** One engine's answer to a run: a finisher records its calls and wraps what it is given (or leaves an empty list or object out). */
function run(apply: (scope: SourceScope, target: PlainObject, finish?: Finishers) => PlainObject, table: Rows, input: Input, finishedFields: readonly string[]): Outcome {
  const warnings = new Warnings();
  const scope = scopeOf(table, input, warnings);
  const target = structuredClone(input.target);
  const calls: unknown[] = [];
  const finish: Record<string, (value: unknown) => unknown> = {};
  for (const field of finishedFields) {
    finish[field] = (value) => {
      calls.push([field, value]);
      if (Array.isArray(value)) return value.length === 0 ? undefined : { list: value };
      return isPlainObject(value) && Object.keys(value).length === 0 ? undefined : { finished: value };
    };
  }
  let error: Outcome['error'];
  try {
    const returned = apply(scope, target, input.finish ? finish : undefined);
    if (returned !== target) throw new Error('apply returned another object than its target');
  } catch (thrown) {
    const e = thrown as Error;
    error = { name: e.constructor.name, message: e.message, instrumentation: e instanceof InstrumentationError };
  }
  return { target, keys: Object.keys(target), warnings: warnings.list, finished: calls, ...(error === undefined ? {} : { error }) };
}

/** What a run shows of the rules it reached, so the test can tell that every rule was reached. */
function labelsOf(table: Rows, input: Input, outcome: Outcome, labels: Set<string>): void {
  for (const key of outcome.keys) labels.add(`wrote ${key}`);
  for (const warning of outcome.warnings) labels.add(`warning ${warning.code}`);
  if (outcome.error !== undefined) labels.add(`error ${outcome.error.message.split(': ')[0] as string}`);
  for (const [field, rule] of Object.entries(table)) {
    if (rule.missingHint !== undefined && outcome.error?.message.endsWith(rule.missingHint.say) === true) labels.add(`hint ${field}`);
    if (rule.configOnlyWith === undefined || outcome.error !== undefined || input.config !== 'object') continue;
    // A config source of a gated row: taken beside the gate field, passed over without it.
    const gateOpen = (input.record ?? outcome.target)[rule.configOnlyWith] !== undefined;
    labels.add(`${field} config ${gateOpen ? 'read' : 'passed over'} ${outcome.target[field] === undefined ? 'absent' : 'present'}`);
  }
}

/** The labels every table must show over its runs: each field written, each error and warning its rows can give. */
function expectedLabels(table: Rows): string[] {
  const labels = ['warning wrong_kind'];
  for (const [field, rule] of Object.entries(table)) {
    labels.push(`wrote ${field}`);
    if (rule.required === true) labels.push(`error ${rule.missingError ?? `Missing required value from ${JSON.stringify(rule.from)}`}`);
    if (rule.required === true && rule.kind === 'amount') labels.push(`error Parameter ${field} must be a number`);
    if (rule.invalidError !== undefined) labels.push(`error ${rule.invalidError}`);
    if (rule.check !== undefined && rule.invalidError === undefined) labels.push('warning invalid');
    if (rule.kind === 'list' || rule.kind === 'object') labels.push('warning too_deep');
    if (rule.missingHint !== undefined) labels.push(`hint ${field}`);
    if (rule.configOnlyWith !== undefined) labels.push(`${field} config read present`, `${field} config passed over absent`);
  }
  return [...new Set(labels)];
}

function differences(interpreted: Outcome, compiled: Outcome): string[] {
  const found: string[] = [];
  if (!isDeepStrictEqual(interpreted.error, compiled.error)) found.push(`error: ${JSON.stringify(interpreted.error)} vs ${JSON.stringify(compiled.error)}`);
  if (!isDeepStrictEqual(interpreted.keys, compiled.keys)) found.push(`fields: ${interpreted.keys.join()} vs ${compiled.keys.join()}`);
  if (!isDeepStrictEqual(interpreted.target, compiled.target)) found.push('record values differ');
  if (!isDeepStrictEqual(interpreted.warnings, compiled.warnings)) {
    found.push(`warnings: ${JSON.stringify(interpreted.warnings)} vs ${JSON.stringify(compiled.warnings)}`);
  }
  if (!isDeepStrictEqual(interpreted.finished, compiled.finished)) found.push('finisher calls differ');
  return found;
}

t.test('every compiled table answers as the interpreter does (seeded, generated events)', async (t) => {
  let seed = 20261218;
  for (const { table, compiled, runs } of CASES) {
    const finished = finishedRows(compiled);
    const read: ReadTable = readTable(table, compiled.name, finished as never[]);
    const labels = new Set<string>();
    const details = fc.check(
      fc.property(inputOf(table, finished), (input) => {
        const interpreted = run((scope, target, finish) => interpret(read, scope, target, finish), table, input, finished);
        const fast = run((scope, target, finish) => compiled.apply(scope, target, finish), table, input, finished);
        labelsOf(table, input, interpreted, labels);
        const found = differences(interpreted, fast);
        if (found.length > 0) throw new Error(found.join('\n'));
      }),
      { seed: seed++, numRuns: runs },
    );
    if (details.failed) {
      t.fail(`${compiled.name}: ${fc.defaultReportMessage(details) ?? 'a run differed'}`);
      continue;
    }
    t.pass(`${compiled.name}: ${runs} runs alike`);
    t.same(expectedLabels(table).filter((label) => !labels.has(label)), [], `${compiled.name}: the runs reached every rule of the table`);
  }
});
