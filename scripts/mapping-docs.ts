/**
 * npm run docs: writes docs/MAPPING.md from the mapping tables (src/destinations/ometria/mappings/).
 * Every field, source, kind, check, accepted value and error text comes from the tables and the
 * key sets derived from them (scripts/mapping-docs-rows.ts); what is code rather than data comes
 * from scripts/mapping-docs-fixed-text.ts, marked as such in the output, and what the handlers
 * send or note is shown by running them on sample messages (scripts/mapping-docs-probes.ts).
 * test/docs/mapping-docs.test.ts fails when the committed file differs from renderMappingDocs().
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TObject } from '@sinclair/typebox';
import { CheckNameSchema, type FieldRule } from '../schemas/mapping.js';
import { ContactSchema, SmsChannelSchema } from '../schemas/ometria/contact.js';
import { CustomEventSchema } from '../schemas/ometria/custom-event.js';
import { AddressSchema, LineItemSchema, OrderCustomerSchema, OrderSchema, OrderUpdateSchema, VariantOptionSchema } from '../schemas/ometria/order.js';
import { EnvSchema } from '../schemas/env.js';
import { loadConfig } from '../src/config.js';
import { kindLabel, PLAIN_DECIMAL } from '../src/core/engine/kinds.js';
import type { MessageHandler } from '../src/core/destination.js';
import type { CompiledTable } from '../src/core/engine/mapping.js';
import { MAX_VALUE_DEPTH } from '../src/core/engine/sanitize.js';
import { createRegistry } from '../src/destinations/index.js';
import { createOmetria, OMETRIA_MAX_RECORD_BYTES } from '../src/destinations/ometria/definition.js';
import {
  CONTACT_NOT_CUSTOM,
  CONTACT_TABLE,
  contactFields,
  NAME_TABLE,
  nameFields,
  SMS_CHANNEL_TABLE,
} from '../src/destinations/ometria/mappings/contact.js';
import { CUSTOM_EVENT_NOT_CUSTOM, CUSTOM_EVENT_TABLE, customEventFields } from '../src/destinations/ometria/mappings/custom-event.js';
import {
  ADDRESS_READ_KEYS,
  ADDRESS_TABLE,
  LINE_ITEM_READ_KEYS,
  LINE_ITEM_TABLE,
  lineItemFields,
  ORDER_CUSTOMER_TABLE,
  ORDER_EVENTS,
  ORDER_NOT_CUSTOM,
  ORDER_TABLE,
  ORDER_UPDATE_READ_KEYS,
  ORDER_UPDATE_TABLE,
  orderCustomerFields,
  orderFields,
  VARIANT_OPTION_READ_KEYS,
  VARIANT_OPTION_TABLE,
} from '../src/destinations/ometria/mappings/order.js';
import {
  ADDRESS_RULE,
  CHECK_TEXT,
  CODE_SET_FIELDS,
  codeRule,
  CONTEXT_SETTINGS,
  EXTRA_EXCLUSIONS,
  FIELD_NOTES,
  leftoverRule,
  LINE_ITEM_RULE,
  NAME_RULE,
  orderUpdateRule,
  pipelineText,
  variantOptionRule,
  warningsText,
} from './mapping-docs-fixed-text.js';
import { ANY_KEY, leftoverNotes, orderUpdateNote, orderUpdates, productVerdicts } from './mapping-docs-probes.js';
import {
  checkWarnings,
  code,
  KINDS,
  markdownTable,
  rowsTable,
  sortedKeys,
  sourcePath,
  type Notation,
  type Table,
} from './mapping-docs-rows.js';

const MAPPINGS = 'src/destinations/ometria/mappings';
const ometria = createOmetria({ apiUrl: 'https://api.ometria.com' });
const [INTEGRATIONS_KEY] = ometria.integrationKeys;
const NOTATION: Notation = { integrations: `integrations.${INTEGRATIONS_KEY ?? 'Ometria'}`, config: 'destination.Config' };

/** Where nested tables read: the order rows that hold their objects. */
const ADDRESS_SUBJECT = '<address>.';
const LINE_ITEM_SUBJECT = `${ORDER_TABLE.lineitems.from.join('|')}[n].`;
const VARIANT_OPTION_SUBJECT = `${LINE_ITEM_SUBJECT}${LINE_ITEM_TABLE.variant_options.from.join('|')}[m].`;

const link = (file: string, text = file): string => `[\`${text}\`](../${file})`;

function handler(name: string): MessageHandler {
  const found = ometria.handlers[name];
  if (found === undefined) throw new Error(`The Ometria definition has no ${name} handler`);
  return found;
}

/** Every mapping table the docs describe, by name. */
const TABLES: ReadonlyArray<readonly [string, Table]> = [
  ['CONTACT_TABLE', CONTACT_TABLE],
  ['NAME_TABLE', NAME_TABLE],
  ['SMS_CHANNEL_TABLE', SMS_CHANNEL_TABLE],
  ['CUSTOM_EVENT_TABLE', CUSTOM_EVENT_TABLE],
  ['ORDER_TABLE', ORDER_TABLE],
  ['ORDER_UPDATE_TABLE', ORDER_UPDATE_TABLE],
  ['ORDER_CUSTOMER_TABLE', ORDER_CUSTOMER_TABLE],
  ['ADDRESS_TABLE', ADDRESS_TABLE],
  ['LINE_ITEM_TABLE', LINE_ITEM_TABLE],
  ['VARIANT_OPTION_TABLE', VARIANT_OPTION_TABLE],
];

/** `table.field` of every row that `has` holds for. */
const rowsWith = (has: (rule: FieldRule) => boolean): string[] =>
  TABLES.flatMap(([name, table]) => Object.entries(table).filter(([, rule]) => has(rule)).map(([field]) => `${name}.${field}`));

/** The Ometria destination's defaults for context fields, as the service builds it from these settings. */
const destinationDefaults = (env: Readonly<Record<string, string>>): Readonly<Record<string, string>> | undefined =>
  createRegistry(loadConfig(env)).get(ometria.name)?.defaults;

let contextSettingsChecked: Readonly<Record<string, string>> | undefined;

/**
 * The setting standing in for each row's context field (CONTEXT_SETTINGS), checked against the
 * tables and against the service: loading the setting must give the destination that default.
 */
function contextSettingByField(): Readonly<Record<string, string>> {
  return (contextSettingsChecked ??= checkContextSettings());
}

function checkContextSettings(): Readonly<Record<string, string>> {
  const contexts = new Set(TABLES.flatMap(([, table]) => Object.values(table).flatMap((rule) => (rule.context === undefined ? [] : [rule.context]))));
  for (const field of contexts) {
    if (!Object.hasOwn(CONTEXT_SETTINGS, field)) {
      throw new Error(`A row reads its check's value in ${field}: say in CONTEXT_SETTINGS (scripts/mapping-docs-fixed-text.ts) which setting stands in for it, or null`);
    }
  }
  const settings: Record<string, string> = {};
  for (const [field, entry] of Object.entries(CONTEXT_SETTINGS)) {
    if (!contexts.has(field)) throw new Error(`CONTEXT_SETTINGS has an entry for ${field}, which no row reads as its check's context`);
    if (entry === null) continue;
    if (!Object.hasOwn(EnvSchema.properties, entry.setting)) throw new Error(`CONTEXT_SETTINGS: ${entry.setting} is not a setting of schemas/env.ts`);
    if (destinationDefaults({ [entry.setting]: entry.example })?.[field] === undefined) {
      throw new Error(`CONTEXT_SETTINGS: ${entry.setting}=${entry.example} gives the ${ometria.name} destination no default ${field}`);
    }
    settings[field] = entry.setting;
  }
  return settings;
}

const codeList = (keys: Iterable<string>): string => sortedKeys(keys).map(code).join(', ');

/** Fields of a record schema that no row of its table sets, each explained by the fixed text. */
function codeSetFields(record: string, schema: TObject, table: Table): string {
  const fields = Object.keys(schema.properties).filter((field) => !Object.hasOwn(table, field));
  const lines = fields.map((field) => {
    const entry = CODE_SET_FIELDS[`${record}.${field}`];
    if (entry === undefined) throw new Error(`${record}.${field} is set by no table row: explain it in CODE_SET_FIELDS (scripts/mapping-docs-fixed-text.ts)`);
    return `- ${code(field)}: ${entry.text} (${link(entry.file)})`;
  });
  const stale = Object.keys(CODE_SET_FIELDS).filter((key) => key.startsWith(`${record}.`) && !fields.includes(key.slice(record.length + 1)));
  if (stale.length > 0) throw new Error(`CODE_SET_FIELDS explains ${stale.join(', ')}, which a table row now sets`);
  if (lines.length === 0) return '';
  return codeRule(undefined, `fields no table row sets:\n\n${lines.join('\n')}`);
}

/** The handler's notes on this section's rows, checked against the table. */
function fieldNotes(section: string, table: Table): string {
  const notes = Object.entries(FIELD_NOTES).filter(([key]) => key.startsWith(`${section}.`));
  return notes
    .map(([key, { file, text }]) => {
      const field = key.slice(section.length + 1);
      if (!Object.hasOwn(table, field)) throw new Error(`FIELD_NOTES has a note on ${key}, but the table has no such row`);
      return codeRule(file, `${code(field)}: ${text}`);
    })
    .join('\n\n');
}

interface TableSection {
  /** Key of the fixed notes (FIELD_NOTES) on its rows. */
  readonly section: string;
  readonly heading: string;
  readonly name: string;
  readonly file: string;
  readonly table: Table;
  readonly intro: string;
  readonly subject?: string;
  readonly fieldPrefix?: string;
}

function tableSection(s: TableSection): string {
  const rowsOptions = { notation: NOTATION, contextSettings: contextSettingByField(), ...(s.subject === undefined ? {} : { subject: s.subject }), ...(s.fieldPrefix === undefined ? {} : { fieldPrefix: s.fieldPrefix }) };
  return [
    `${s.heading}`,
    `${s.intro} Table ${code(s.name)} in ${link(s.file)}.`,
    rowsTable(s.table, rowsOptions),
    fieldNotes(s.section, s.table),
  ]
    .filter((part) => part !== '')
    .join('\n\n');
}

interface LeftoverSection {
  readonly record: string;
  /** Paths of the objects the leftovers are taken from, in precedence order. */
  readonly objects: readonly string[];
  readonly excluded: ReadonlySet<string>;
  /** The compiled tables whose rows read those objects. */
  readonly tables: readonly CompiledTable[];
  readonly setName: string;
  readonly when: string;
  /** The notes the handler writes for leftovers it does not send (custom fields given), from running it. */
  readonly notes: readonly string[];
}

/** What becomes of the leftovers when custom fields are given: named in notes, or left out silently. */
function unsentLeftovers(notes: readonly string[], given: string): string {
  const [note] = notes;
  return note === undefined
    ? `With ${given} given, the keys that would have been taken are left out without a note.`
    : `With ${given} given, each key that would have been taken is named in a note instead (explain-only: [Warnings and notes](#warnings-and-notes)), such as ${code(note)}.`;
}

/** The leftover rule of one record type: which objects, and every excluded key (from the derived set). */
function leftoverSection(s: LeftoverSection): string {
  const read = new Set(s.tables.flatMap((table) => s.objects.flatMap((object) => [...table.readKeys(object)])));
  const byRows = [...s.excluded].filter((key) => read.has(key));
  const extras = [...s.excluded].filter((key) => !read.has(key));
  const reasons = Object.keys(EXTRA_EXCLUSIONS).filter((key) => key.startsWith(`${s.record}.`));
  for (const key of reasons) {
    if (!extras.includes(key.slice(s.record.length + 1))) throw new Error(`EXTRA_EXCLUSIONS explains ${key}, which ${s.setName} no longer adds by hand`);
  }
  const extraLines = sortedKeys(extras).map((key) => {
    const reason = EXTRA_EXCLUSIONS[`${s.record}.${key}`];
    if (reason === undefined) throw new Error(`${s.setName} excludes ${key}, which no row reads: explain why in EXTRA_EXCLUSIONS (scripts/mapping-docs-fixed-text.ts)`);
    return `- ${code(key)}: ${reason}.`;
  });
  const objects = s.objects.map((o) => code(o)).join(', then ');
  return [
    `Taken from ${objects}${s.objects.length > 1 ? ' (the first wins when a key is in both)' : ''}. ${s.when} ${unsentLeftovers(s.notes, 'a `custom_fields` object')}`,
    `Excluded (${code(s.setName)}), because a row reads them: ${codeList(byRows)}.`,
    ...(extraLines.length === 0 ? [] : [`Also excluded, though no row reads them (added by hand to ${code(s.setName)}):\n\n${extraLines.join('\n')}`]),
  ].join('\n\n');
}

/** An `is_valid` cell: the value, or that the record has none. */
const isValidCell = (isValid: boolean | undefined): string => (isValid === undefined ? '*not sent*' : code(String(isValid)));

function orderEvents(): string {
  const groups = new Map<string, string[]>();
  for (const [name, event] of ORDER_EVENTS) {
    const key = JSON.stringify([event.update, event.status, event.is_valid, event.withProducts?.status, event.withProducts?.is_valid]);
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  const rows = [...groups].map(([key, names]) => {
    const [update, status, isValid, productsStatus, productsIsValid] = JSON.parse(key) as [boolean, string, boolean | null, string | null, boolean | null];
    const withProducts = productsStatus === null ? ['—', '—'] : [code(productsStatus), isValidCell(productsIsValid ?? undefined)];
    return [names.map(code).join(', '), update ? '[an update](#order-updates)' : 'a whole order', code(status), isValidCell(isValid ?? undefined), ...withProducts];
  });
  return [
    `A \`track\` message whose \`event\`, trimmed and lower-cased, is one of these names becomes an order; any other name is a custom event. Table ${code('ORDER_EVENT_TABLE')} in ${link(`${MAPPINGS}/order.ts`)}.`,
    '**Sends**: a whole order (the fields below), or an update of an order Ometria already has, which carries only what changes (see [Order updates](#order-updates)). **With products**: what the event sets instead when it lists products; — where products make no difference. *Not sent*: the record has no `is_valid`, so Ometria keeps counting the order as revenue as it did.',
    markdownTable(['event names (trimmed, any case)', 'sends', '`status`', '`is_valid`', 'with products: `status`', 'with products: `is_valid`'], rows),
  ].join('\n\n');
}

/** Order updates: their table, the records the handler sends, and the note on the rest. */
function orderUpdateSection(): string {
  const track = handler('track');
  const names = [...ORDER_EVENTS].filter(([, event]) => event.update).map(([name]) => code(name));
  const keys = Object.keys(OrderUpdateSchema.properties).map(code).join(', ');
  const records = markdownTable(
    ['event names', 'products', 'record sent (exactly these keys, in this order)'],
    orderUpdates(track).map(({ names: events, withProducts, record }) => [
      events.map(code).join(', '),
      withProducts === undefined ? 'listed or not' : withProducts ? 'listed' : 'none',
      code(JSON.stringify(record)),
    ]),
  );
  const { listing, notListing } = productVerdicts(track);
  const { note, noneWhenOnlyId } = orderUpdateNote(track);
  const notSent = note === undefined
    ? 'Every other property is left out without a note.'
    : `Every other property is not sent, and with \`?explain=true\` one note names them all, top-level keys of \`properties\` in input order, less the keys a row reads (${code('ORDER_UPDATE_READ_KEYS')}: ${codeList(ORDER_UPDATE_READ_KEYS)}): properties ${code(`{"order_id", "${ANY_KEY} 1", "${ANY_KEY} 2"}`)} give ${code(note)}${noneWhenOnlyId ? ', and an update with no other property has no note' : ''}. It is a note, not a warning: explain-only, never logged (see [Warnings and notes](#warnings-and-notes)).`;
  return [
    tableSection({
      section: 'order_update',
      heading: '### Order updates',
      name: 'ORDER_UPDATE_TABLE',
      file: `${MAPPINGS}/order.ts`,
      table: ORDER_UPDATE_TABLE,
      intro: `The events the table above marks as updates (${names.join(', ')}) change an order Ometria already has. Their record has only the keys of ${code('OrderUpdateSchema')} in ${link('schemas/ometria/order.ts')}: ${keys}; this table gives the \`id\`.`,
    }),
    codeSetFields('order_update', OrderUpdateSchema, ORDER_UPDATE_TABLE),
    'The records the handler sends, by event (`<order_id>` standing for the id):',
    records,
    orderUpdateRule(listing, notListing),
    notSent,
  ].join('\n\n');
}

function readingGuide(): string {
  const kinds = markdownTable(
    ['kind', 'accepts'],
    KINDS.map((kind) => [code(kind), kindLabel(kind)]),
  );
  const checks = markdownTable(
    ['check', 'accepts and writes', 'warning for an invalid value'],
    CheckNameSchema.anyOf.map(({ const: check }) => [
      code(check),
      `${CHECK_TEXT[check].text} (${link(CHECK_TEXT[check].file)})`,
      checkWarnings(check, CHECK_TEXT[check].reasons)
        .map((reason) => code(`<path>: ${reason}; dropped`))
        .join(', or '),
    ]),
  );
  return [
    '## How to read these tables',
    'Each row is one Ometria field. Its **sources** are tried in order and the first *present* value of the right kind wins: present means not `undefined`, not `null` and not `""` (`0` and `false` are present).',
    `Source paths are read on the RudderStack message (\`traits.email\` is \`message.traits.email\`), except in nested tables, whose paths start at the element they map. ${code(`${NOTATION.integrations}.<key>`)} is the integrations object: the first of ${ometria.integrationKeys.map((k) => code(`integrations.${k}`)).join(', ')} that is an object. ${code(`${NOTATION.config}.<key>`)} is the event's destination config, after dynamic config templates are resolved.`,
    '### Kinds',
    `A source value of the wrong kind is skipped with the warning ${code('<path>: expected <what the kind accepts>, got <a string, a number, an array …>; skipped')} and the next source applies. Numbers become strings for ${code('identifier')} and ${code('text')}; a string is a number for ${code('amount')} only if it matches ${code(PLAIN_DECIMAL.source)}; lists and objects are copied without ${code('__proto__')}, ${code('constructor')} and ${code('prototype')} keys, and skipped with a warning when nested deeper than ${MAX_VALUE_DEPTH} levels.`,
    kinds,
    '### Checks',
    'A check judges the first present value of the right kind; what happens when that value is invalid is the row\'s **when invalid** column (an invalid value does not fall through to the next source unless the row says so). The warning ends in `; ignored` instead of `; dropped` on rows where the next source applies.',
    checks,
    ...rowMarks(),
    '### Errors',
    `**When missing** is what happens when no source holds a value of the right kind: \`left out\`, or for a required field a 400 with the row's own text, else ${code('Missing required value from <the row\'s sources as a JSON array>')}. Rows are listed in the order they are applied, which is also the order their errors take precedence. Error texts are written as the event's ${code('error')} begins: it may go on after ${code(': ')} with what would fix it, namely where the field is read from, the value as received when it is never personal data (times, currency codes, amounts; never emails, phones, names or ids) and what would be valid.`,
    pipelineText(Object.keys(ometria.handlers), OMETRIA_MAX_RECORD_BYTES),
    '### Custom fields',
    'Each record type lists, under **Custom fields**, the objects its leftovers come from and every key excluded from them: the keys some row reads, derived from the tables, and the few added by hand, each with its reason.',
    leftoverRule(MAX_VALUE_DEPTH),
    '### Warnings and notes',
    warningsAndNotes(),
  ].join('\n\n');
}

/**
 * What the check, sources and when-missing cells say beyond the plain row, each explained only
 * when some row needs it; and the settings that stand in for a missing context field.
 */
function rowMarks(): string[] {
  const parts: string[] = [];
  const withContext = rowsWith((rule) => rule.context !== undefined);
  if (withContext.length > 0) {
    parts.push(
      `**${code('<check>')} in ${code('<field>')}** in the check column: the check reads the value in that field of the same record, which an earlier row maps (the row's ${code('context')}; ${codeList(withContext)}). Where the record has none, the service setting named after it applies:`,
      markdownTable(
        ['field', 'setting (environment variable, [`schemas/env.ts`](../schemas/env.ts))', 'what it is', 'default'],
        Object.entries(contextSettingByField()).map(([field, setting]) => {
          const schema = EnvSchema.properties[setting as keyof typeof EnvSchema.properties];
          const fallback: unknown = schema.default;
          return [code(field), code(setting), String(schema.description ?? ''), fallback === '' ? 'unset' : code(JSON.stringify(fallback))];
        }),
      ),
      'A setting whose value is not valid stops the service at start-up, with an error naming the variable ([`src/config.ts`](../src/config.ts)).',
    );
  }
  const gated = rowsWith((rule) => rule.configOnlyWith !== undefined);
  if (gated.length > 0) {
    parts.push(
      `**(only with ${code('<field>')})** after a ${code(`${NOTATION.config}.<key>`)} source: that source is read only when the record has that field (the row's ${code('configOnlyWith')}; ${codeList(gated)}); otherwise it is passed over without a warning, as if it were absent. Sources in the integrations object are always read.`,
    );
  }
  const hinted = rowsWith((rule) => rule.missingHint !== undefined);
  if (hinted.length > 0) {
    parts.push(
      `**When missing** may add *when ${code('<path>')} holds a value, the error goes on with …* (the row's ${code('missingHint')}; ${codeList(hinted)}): that value is not a source of the field, and the error says why, after the field's own text and ${code(': ')}.`,
    );
  }
  return parts;
}

/** Warnings vs notes, with the notes the handlers write (from running them) and the rows passed over silently. */
function warningsAndNotes(): string {
  const notes = leftoverNotes(ometria.handlers);
  const update = orderUpdateNote(handler('track'));
  const records: ReadonlyArray<readonly [keyof typeof notes, string, string]> = [
    ['contact', 'contacts', 'a `custom_fields` object'],
    ['custom_event', 'custom events', 'a `custom_fields` object'],
    ['order', 'orders', 'a `custom_fields` object'],
    ['line_item', 'line items', "the product's own `properties` object"],
  ];
  const named = records.filter(([key]) => notes[key].length > 0);
  const silent = records.filter(([key]) => notes[key].length === 0);
  const lines = [
    ...named.map(([key, label, given]) => `${label}: each leftover key not sent because ${given} is given, one note per key: ${code(notes[key][0] as string)}`),
    ...(update.note === undefined ? [] : [`order updates: every property not sent, all in one note: ${code(update.note)} (see [Order updates](#order-updates))`]),
  ];
  const unnoted = silent.map(([, label, given]) => `the leftovers of ${label} given ${given}`);
  return warningsText(lines, unnoted, rowsWith((rule) => rule.configOnlyWith !== undefined).map(code));
}

function contact(): string {
  return [
    '## contact (`identify`)',
    'An `identify` message becomes one `contact` record.',
    codeSetFields('contact', ContactSchema, CONTACT_TABLE),
    tableSection({
      section: 'contact',
      heading: '### Fields',
      name: 'CONTACT_TABLE',
      file: `${MAPPINGS}/contact.ts`,
      table: CONTACT_TABLE,
      intro: 'The contact\'s own fields.',
    }),
    tableSection({
      section: 'name',
      heading: '### `name`',
      name: 'NAME_TABLE',
      file: `${MAPPINGS}/contact.ts`,
      table: NAME_TABLE,
      intro: 'Not an Ometria field: a trait that fills name fields left empty by the rows above.',
    }),
    NAME_RULE,
    tableSection({
      section: 'sms_channel',
      heading: '### `channels.sms`',
      name: 'SMS_CHANNEL_TABLE',
      file: `${MAPPINGS}/contact.ts`,
      table: SMS_CHANNEL_TABLE,
      intro: 'Applied after the contact\'s fields; `channels` is left out when none of these is set.',
      fieldPrefix: 'channels.sms.',
    }),
    '### Custom fields (`properties`)',
    leftoverSection({
      record: 'contact',
      objects: ['traits', 'context.traits'],
      excluded: CONTACT_NOT_CUSTOM,
      tables: [contactFields, nameFields],
      setName: 'CONTACT_NOT_CUSTOM',
      when: 'Used only when no `custom_fields` object is found; `properties` is set only if some key is left.',
      notes: leftoverNotes(ometria.handlers).contact,
    }),
  ].join('\n\n');
}

function customEvent(): string {
  return [
    '## custom_event (`track`)',
    'A `track` message whose event name is not an order event (see the order event table under order) becomes one `custom_event` record.',
    codeSetFields('custom_event', CustomEventSchema, CUSTOM_EVENT_TABLE),
    tableSection({
      section: 'custom_event',
      heading: '### Fields',
      name: 'CUSTOM_EVENT_TABLE',
      file: `${MAPPINGS}/custom-event.ts`,
      table: CUSTOM_EVENT_TABLE,
      intro: 'The custom event\'s fields.',
    }),
    '### Custom fields (`properties`)',
    leftoverSection({
      record: 'custom_event',
      objects: ['properties'],
      excluded: CUSTOM_EVENT_NOT_CUSTOM,
      tables: [customEventFields],
      setName: 'CUSTOM_EVENT_NOT_CUSTOM',
      when: 'Used only when no `custom_fields` object is found; `properties` is always set, `{}` when no key is left.',
      notes: leftoverNotes(ometria.handlers).custom_event,
    }),
  ].join('\n\n');
}

function order(): string {
  const addressObjects = [ORDER_TABLE.shipping_address, ORDER_TABLE.billing_address].flatMap((row) => row.from).map(code);
  return [
    '## order (`track` with an order event)',
    '### Order events',
    orderEvents(),
    orderUpdateSection(),
    '**Whole orders.** The events that send a whole order map it with the tables from here on; none of them applies to updates.',
    codeSetFields('order', OrderSchema, ORDER_TABLE),
    tableSection({
      section: 'order',
      heading: '### Fields',
      name: 'ORDER_TABLE',
      file: `${MAPPINGS}/order.ts`,
      table: ORDER_TABLE,
      intro: 'The fields of a whole order.',
    }),
    tableSection({
      section: 'order_customer',
      heading: '### `customer`',
      name: 'ORDER_CUSTOMER_TABLE',
      file: `${MAPPINGS}/order.ts`,
      table: ORDER_CUSTOMER_TABLE,
      intro: 'Applied after every row of the order table; then the `name` rule (under contact) fills `firstname` and `lastname` when they are empty.',
      fieldPrefix: 'customer.',
    }),
    tableSection({
      section: 'address',
      heading: '### Addresses (`shipping_address`, `billing_address`)',
      name: 'ADDRESS_TABLE',
      file: `${MAPPINGS}/order.ts`,
      table: ADDRESS_TABLE,
      intro: `${code(ADDRESS_SUBJECT.slice(0, -1))} is the object found by the \`shipping_address\` or \`billing_address\` row (${addressObjects.join(', ')}). Keys other than ${codeList(ADDRESS_READ_KEYS)} are dropped with the warning ${code('<address>.<key>: not an address field; dropped')}; addresses have no custom fields.`,
      subject: ADDRESS_SUBJECT,
    }),
    ADDRESS_RULE,
    tableSection({
      section: 'line_item',
      heading: '### Line items (`lineitems`)',
      name: 'LINE_ITEM_TABLE',
      file: `${MAPPINGS}/order.ts`,
      table: LINE_ITEM_TABLE,
      intro: `Each element of ${code(sourcePath(ORDER_TABLE.lineitems.from.join('|'), NOTATION))}, in order, as ${code('[n]')}.`,
      subject: LINE_ITEM_SUBJECT,
    }),
    LINE_ITEM_RULE,
    `Custom fields of a line item: taken from the product object (${code(LINE_ITEM_SUBJECT.slice(0, -1))}), excluding every key a row reads (${code('LINE_ITEM_READ_KEYS')}): ${codeList(LINE_ITEM_READ_KEYS)}. ${unsentLeftovers(leftoverNotes(ometria.handlers).line_item, "the product's own `properties` object")}`,
    tableSection({
      section: 'variant_option',
      heading: '### Variant options (`lineitems[].variant_options`)',
      name: 'VARIANT_OPTION_TABLE',
      file: `${MAPPINGS}/order.ts`,
      table: VARIANT_OPTION_TABLE,
      intro: `Each element of a product's ${code('variant_options')}, as ${code('[m]')}. Keys other than ${codeList(VARIANT_OPTION_READ_KEYS)} are dropped with the warning ${code('<option>.<key>: not a variant option field; dropped')}; options have no custom fields.`,
      subject: VARIANT_OPTION_SUBJECT,
    }),
    variantOptionRule(Object.keys(VARIANT_OPTION_TABLE)),
    '### Custom fields (`properties`)',
    leftoverSection({
      record: 'order',
      objects: ['properties'],
      excluded: ORDER_NOT_CUSTOM,
      tables: [orderFields, orderCustomerFields],
      setName: 'ORDER_NOT_CUSTOM',
      when: 'Used only when no `custom_fields` object is found; `properties` is set only if some key is left.',
      notes: leftoverNotes(ometria.handlers).order,
    }),
  ].join('\n\n');
}

/** Nested record schemas are checked by their tables' `satisfies`; these are listed so a field added to one is noticed. */
const NESTED: ReadonlyArray<readonly [string, TObject, Table]> = [
  ['channels.sms', SmsChannelSchema, SMS_CHANNEL_TABLE],
  ['customer', OrderCustomerSchema, ORDER_CUSTOMER_TABLE],
  ['address', AddressSchema, ADDRESS_TABLE],
  ['line item', LineItemSchema, LINE_ITEM_TABLE],
  ['variant option', VariantOptionSchema, VARIANT_OPTION_TABLE],
];

/** docs/MAPPING.md as the tables say it should read today. */
export function renderMappingDocs(): string {
  for (const [name, schema, table] of NESTED) {
    const unset = Object.keys(schema.properties).filter((field) => !Object.hasOwn(table, field));
    if (unset.length > 0) throw new Error(`The ${name} schema has fields no table row sets (${unset.join(', ')}): describe them in scripts/mapping-docs.ts`);
  }
  const banner = [
    '<!-- GENERATED by scripts/mapping-docs.ts from the mapping tables: do not edit by hand. -->',
    '<!-- Change a table (src/destinations/ometria/mappings/) or the generator, then run `npm run docs`. -->',
  ].join('\n');
  const intro = [
    '# Field mapping: RudderStack events → Ometria records',
    `> **Generated file: do not edit by hand.** It is written by ${link('scripts/mapping-docs.ts')} (\`npm run docs\`) from the mapping tables in ${link(MAPPINGS, `${MAPPINGS}/`)}, and ${link('test/docs/mapping-docs.test.ts')} fails when it is out of date. Paragraphs marked **Code, not a table row** describe handler code and are the generator's fixed text.`,
    'Contents: [How to read these tables](#how-to-read-these-tables) ([warnings and notes](#warnings-and-notes)) · [contact](#contact-identify) · [custom_event](#custom_event-track) · [order](#order-track-with-an-order-event) ([order updates](#order-updates))',
  ].join('\n\n');
  return `${[banner, intro, readingGuide(), contact(), customEvent(), order()].join('\n\n')}\n`;
}

/** The repository root: the nearest directory above this file holding package.json (works from scripts/ and dist/scripts/). */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('No package.json above scripts/mapping-docs');
    dir = parent;
  }
  return dir;
}

export const MAPPING_DOCS_PATH = join(repositoryRoot(), 'docs', 'MAPPING.md');

/** Writes the rendered docs to `file`; true when its content changed. */
export async function writeMappingDocs(file = MAPPING_DOCS_PATH): Promise<boolean> {
  const text = renderMappingDocs();
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current === text) return false;
  await writeFile(file, text);
  return true;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const changed = await writeMappingDocs();
  console.log(`${MAPPING_DOCS_PATH}: ${changed ? 'written' : 'already up to date'}`);
}
