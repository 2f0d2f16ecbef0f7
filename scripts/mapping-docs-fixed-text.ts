/**
 * The fixed text of docs/MAPPING.md: what the mapping tables cannot say because it is code (the
 * handlers, the pipeline, what a check does), each entry naming the file it describes. Everything
 * that can be read from the tables is derived in scripts/mapping-docs.ts instead. The generator
 * fails when a field or key it has to explain has no entry here, or when an entry explains one
 * that no longer needs it, so this text cannot silently fall out of step with the tables.
 */
import type { CheckName } from '../schemas/mapping.js';

const HANDLERS = 'src/destinations/ometria/handlers';

/**
 * A paragraph describing code, marked as such, with a link to the file (docs/ is one level down);
 * without a file, the text links its own sources.
 */
export function codeRule(file: string | undefined, text: string): string {
  const where = file === undefined ? '' : ` ([\`${file}\`](../${file}))`;
  const lines = `**Code, not a table row**${where}: ${text}`.split('\n');
  return lines.map((line) => (line === '' ? '>' : `> ${line}`)).join('\n');
}

/** What each check accepts and writes (src/core/checks/). */
export const CHECK_TEXT: Readonly<Record<CheckName, { readonly file: string; readonly text: string }>> = {
  e164: {
    file: 'src/core/checks/e164.ts',
    text:
      'a phone number in international form: after trimming it starts with `+` and holds only digits, spaces, `-`, `.`, `(` and `)`, ' +
      'and libphonenumber-js/max judges it a valid number. Written in E.164 (`+44 7911 123456` → `+447911123456`). ' +
      'Letters (`ext. 5`, `tel:`) make it invalid.',
  },
  isoDateTime: {
    file: 'src/core/checks/iso-date-time.ts',
    text:
      'an ISO-8601 extended calendar date and time, `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z`, `±HH:MM`, `±HHMM`, `±HH` or nothing, ' +
      'that luxon accepts as a real date and time (no 30 February). Week dates, ordinal dates, the basic format and a space instead of `T` ' +
      'are refused. Written unchanged.',
  },
  currency: {
    file: 'src/core/checks/currency.ts',
    text: "an ISO 4217 code the runtime knows (`Intl.supportedValuesOf('currency')`), after trimming and upper-casing; written upper-cased (` gbp` → `GBP`).",
  },
  oneOf: {
    file: 'src/core/checks/one-of.ts',
    text: 'one of the accepted inputs listed in the row; written as the value that input maps to.',
  },
};

/** What happens before and after the rows (src/core/pipeline.ts, the Ometria definition). */
export function pipelineText(types: readonly string[], maxRecordBytes: number): string {
  return codeRule(
    'src/core/pipeline.ts',
    [
      'checks run in this order, and the first failure is the event\'s error (HTTP status 400 in its output item).',
      '',
      '1. The message must be an object: `Message must be an object`.',
      `2. \`type\` must be a non-blank string (\`Event type is required\`) and, trimmed and lower-cased, one of ${types.map((t) => `\`${t}\``).join(', ')} (else \`message type <type> is not supported\`, with the type trimmed and lower-cased).`,
      '3. The event must have a destination (`Missing destination: each event needs its destination (with Config)`, or in a compacted request `no destination found for id <destinationId>`), and `destination.Config.apiKey` must be a non-blank string: `Invalid Api Key` (both configuration errors; [`src/destinations/ometria/definition.ts`](../src/destinations/ometria/definition.ts)).',
      '4. For `track`, the event name (see `event_type` under custom_event), which decides between an order and a custom event.',
      '5. The rows of the record\'s table, in table order, then the rows of its nested tables as listed under each record.',
      `6. The finished record must fit its schema in [\`schemas/ometria/\`](../schemas/ometria/) (else a 400 naming the field), and its JSON must be at most ${maxRecordBytes} bytes (\`Record is too large for Ometria (<n> bytes, limit ${maxRecordBytes})\`).`,
    ].join('\n'),
  );
}

/** Record fields that no table row sets: who sets them. Keyed `<record>.<field>`. */
export const CODE_SET_FIELDS: Readonly<Record<string, { readonly file: string; readonly text: string }>> = {
  'contact.@type': { file: `${HANDLERS}/identify.ts`, text: 'always `contact`.' },
  'contact.channels': {
    file: `${HANDLERS}/identify.ts`,
    text: '`{"sms": {…}}` holding the fields of the SMS channel table below; left out when none of them is set.',
  },
  'custom_event.@type': { file: `${HANDLERS}/custom-event.ts`, text: 'always `custom_event`.' },
  'custom_event.event_type': {
    file: `${HANDLERS}/track.ts`,
    text:
      "the message's `event`, trimmed and lower-cased (it must match a custom event type set up in Ometria). Missing, blank or not a string → " +
      '400 `Event name is required for track call`, checked before every row because the name decides between an order and a custom event.',
  },
  'order.@type': { file: `${HANDLERS}/order.ts`, text: 'always `order`.' },
  'order.status': { file: `${HANDLERS}/order.ts`, text: 'from the order event table above.' },
  'order.is_valid': {
    file: `${HANDLERS}/order.ts`,
    text: 'from the order event table above: `false` tells Ometria to stop counting the order as revenue.',
  },
  'order.customer': {
    file: `${HANDLERS}/order.ts`,
    text: 'built by the order customer table below, after every row of this table (so its errors come after theirs).',
  },
};

/** What the handler does with a row's value beyond copying it. Keyed `<table section>.<field>`. */
export const FIELD_NOTES: Readonly<Record<string, { readonly file: string; readonly text: string }>> = {
  'contact.properties': {
    file: `${HANDLERS}/identify.ts`,
    text:
      'a `custom_fields` object is sent as the contact\'s `properties` as it is, and an empty one (`{}`) leaves `properties` out. ' +
      'Only when no source holds an object are the leftover traits (below) used, and `properties` is left out when there are none.',
  },
  'custom_event.properties': {
    file: `${HANDLERS}/custom-event.ts`,
    text:
      'a `custom_fields` object is sent as it is, even `{}`. Otherwise the leftover properties (below) are used. ' +
      'A custom event always has `properties`, `{}` when nothing is left.',
  },
  'order.shipping_address': {
    file: `${HANDLERS}/order.ts`,
    text: 'the object is mapped by the address table below; an address that maps to no key at all is left out.',
  },
  'order.billing_address': {
    file: `${HANDLERS}/order.ts`,
    text: 'as `shipping_address`.',
  },
  'order.properties': {
    file: `${HANDLERS}/order.ts`,
    text:
      'a `custom_fields` object is sent as it is, and an empty one (`{}`) leaves `properties` out. Only when no source holds an object ' +
      'are the leftover properties (below) used, and `properties` is left out when there are none.',
  },
  'order.lineitems': {
    file: `${HANDLERS}/line-items.ts`,
    text:
      'each element is mapped by the line item table below and kept only by the line item rule; `lineitems` is left out when no item is kept.',
  },
  'line_item.variant_options': {
    file: `${HANDLERS}/line-items.ts`,
    text: 'each element is mapped by the variant option table below and kept only when complete; left out when none is kept.',
  },
  'line_item.properties': {
    file: `${HANDLERS}/line-items.ts`,
    text:
      "a `properties` object of the product is sent as it is, and an empty one leaves `properties` out. Only when the product has no such object are its leftover keys (below) used, left out when there are none.",
  },
};

/** Why keys that no row reads are still never custom fields. Keyed `<record>.<key>`. */
export const EXTRA_EXCLUSIONS: Readonly<Record<string, string>> = {
  'contact.channels': "the contact's own `channels` comes from the SMS channel table (integrations object and Config), so a trait of that name is not copied",
  'contact.marketingOptin': '`marketing_optin` is read from the integrations object and Config only; a trait of this name is not copied',
  'contact.marketinOptin': 'a known misspelling of `marketingOptin`, treated the same way',
  'contact.anonymousId': "RudderStack's anonymous id, not customer data (the message's own `anonymousId` is the last source of `customer_id`)",
  'custom_event.event_type': "the name of the record's own field, which comes from the message's `event`",
  'custom_event.userId': "a RudderStack identity field; the person's account id comes from the `identity_account_id` row",
  'custom_event.anonymousId': 'as `userId`',
  'order.status': 'the record\'s own `status` comes from the order event table; a property of that name would contradict it',
  'order.is_valid': 'as `status`',
  'order.customer': "the record's own `customer` is built by the order customer table",
};

export const NAME_RULE = codeRule(
  `${HANDLERS}/names.ts`,
  'the `name` row fills only the name fields that are still empty after the rows above, so explicit first, middle and last name ' +
    'sources always win. The value is trimmed and split on runs of white space: one word → `firstname`; two words → `firstname`, `lastname`; ' +
    'three or more → the first word `firstname`, the last word `lastname`, and the words between, joined by one space, `middlename`. ' +
    'The same rule fills `customer.firstname` and `customer.lastname` of orders, which have no middle name (the middle words are then not used).',
);

export function leftoverRule(maxDepth: number): string {
  return codeRule(
    'src/core/leftovers.ts',
    'the leftovers (custom fields) of a record are the keys of the objects listed for it that are not excluded. When a key is in two of the ' +
      'objects, the first listed wins. Keys whose value is `null` or `""` are skipped; `__proto__`, `constructor` and `prototype` are never ' +
      'copied, at any depth; keys are copied as they are (a key `"a.b"` stays `"a.b"`, it is not nested); values nested deeper than ' +
      `${maxDepth} levels and numbers that are not finite are skipped with a warning. A listed object that is not a plain object is skipped with a warning.`,
  );
}

export const LINE_ITEM_RULE = codeRule(
  `${HANDLERS}/line-items.ts`,
  'an element that is not an object is dropped with a warning. A mapped item is kept only if it has `product_id`, a `quantity` above 0, ' +
    'and `unit_price` or `subtotal` (0 allowed); otherwise it is dropped with the warning ' +
    '`properties.products[<n>]: dropped: a line item needs product_id, a positive quantity, and unit_price or subtotal`. ' +
    'The rule judges converted values: `unit_price: "free"` is not a price.',
);

export function variantOptionRule(keys: readonly string[]): string {
  return codeRule(
    `${HANDLERS}/line-items.ts`,
    'an element that is not an object is dropped with a warning, and so is an option missing any of its fields ' +
      `(\`… dropped: a variant option needs id, type and label\`). Options are written with their keys in table order: ${keys.map((k) => `\`${k}\``).join(', ')}.`,
  );
}

export const ADDRESS_RULE = codeRule(
  `${HANDLERS}/order.ts`,
  'the same table maps both addresses. An address never carries `null` keys: fields without a value are left out, and an address with none is left out.',
);
