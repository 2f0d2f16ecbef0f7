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

/**
 * The service settings that stand in for a row's `context` field when the record has none
 * (`SourceScope.defaults`), keyed by that field; `null` when no setting does. The generator fails
 * when a row's context has no entry, when an entry names no row's context, or when the setting does
 * not give the destination that default (it loads the settings with `example` to see).
 */
export const CONTEXT_SETTINGS: Readonly<Record<string, { readonly setting: string; readonly example: string; readonly file: string } | null>> = {
  country_id: { setting: 'PHONE_DEFAULT_COUNTRY', example: 'GB', file: 'src/destinations/index.ts' },
};

const PHONE_SETTING = CONTEXT_SETTINGS.country_id?.setting ?? '';

/**
 * What each check accepts and writes (src/core/engine/checks/). `reasons` are the values (and contexts)
 * for which the check's warning reads differently, one each; without them the check has one warning.
 */
export const CHECK_TEXT: Readonly<
  Record<CheckName, { readonly file: string; readonly text: string; readonly reasons?: readonly { readonly value: string; readonly context?: string }[] }>
> = {
  e164: {
    file: 'src/core/engine/checks/e164.ts',
    text:
      'a phone number: after trimming it holds only digits, spaces, `-`, `.`, `(` and `)`, with an optional leading `+`, ' +
      'and libphonenumber-js/max judges it a valid number. A value starting with `+` is international. Any other value is national ' +
      "(`07911 123456`) and is read in the contact's country, with the library's default-country parsing (which for `GB` also reads " +
      '`0044 7911 123456` and `447911123456`): the field the row names after `in` (the contact\'s country as its own row maps it), ' +
      `or, when the contact has none (none sent, or the one sent was dropped), the service setting \`${PHONE_SETTING}\` (the settings table below). ` +
      'Written in E.164 (`+44 7911 123456`, or `07911 123456` in `GB` → `+447911123456`). Letters (`ext. 5`, `tel:`) make it invalid. ' +
      "The warning says why: not a valid number; a national number while the contact's country is unknown (no country on the contact and " +
      `\`${PHONE_SETTING}\` unset); or a contact country the library has no numbering plan for (\`AQ\`).`,
    reasons: [{ value: '+0' }, { value: '0' }, { value: '0', context: '<CC>' }],
  },
  isoDateTime: {
    file: 'src/core/engine/checks/iso-date-time.ts',
    text:
      'an ISO-8601 extended calendar date and time, `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z`, `±HH:MM`, `±HHMM`, `±HH` or nothing, ' +
      'that luxon accepts as a real date and time (no 30 February). Week dates, ordinal dates, the basic format and a space instead of `T` ' +
      'are refused. Written unchanged.',
  },
  currency: {
    file: 'src/core/engine/checks/currency.ts',
    text: "an ISO 4217 code the runtime knows (`Intl.supportedValuesOf('currency')`), after trimming and upper-casing; written upper-cased (` gbp` → `GBP`).",
  },
  oneOf: {
    file: 'src/core/engine/checks/one-of.ts',
    text: 'one of the accepted inputs listed in the row; written as the value that input maps to.',
  },
  country: {
    file: 'src/core/engine/checks/country.ts',
    text:
      'a country, after trimming: an ISO 3166-1 alpha-2 code (`GB`, `gb`) or alpha-3 code (`GBR`) in any case, or an English name as ' +
      'i18n-iso-countries lists it, in any case (`United Kingdom`, `germany`); `UK` is `GB`. Written as the alpha-2 code, upper case ' +
      '(`United Kingdom` → `GB`). Numeric codes (`826`), `EU` and anything else are not countries.',
  },
  timezone: {
    file: 'src/core/engine/checks/timezone.ts',
    text:
      "an IANA time zone name as luxon's `IANAZone.isValidZone` judges it (`Europe/London`). Not trimmed; written as received: luxon " +
      'matches names in any case, so `europe/london` is valid and sent lower-case. Offsets (`GMT+0100`, `+05:30`) are not zone names.',
  },
};

/** What happens before and after the rows (src/core/transform/pipeline.ts, the Ometria definition). */
export function pipelineText(types: readonly string[], maxRecordBytes: number): string {
  return codeRule(
    'src/core/transform/pipeline.ts',
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
  'order_update.@type': { file: `${HANDLERS}/order-update.ts`, text: 'always `order`: an update is an order record that carries only what changes.' },
  'order_update.status': {
    file: `${HANDLERS}/order-update.ts`,
    text: "the event's `status` in the order event table above, or its *with products* `status` when the event lists products.",
  },
  'order_update.is_valid': {
    file: `${HANDLERS}/order-update.ts`,
    text: 'likewise; left out where the table says *not sent*, so the order keeps counting as revenue as it did.',
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
    'src/core/engine/leftovers.ts',
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

/** How an update event is read (src/destinations/ometria/handlers/order-update.ts); the verdicts on `products` are the handler's own. */
export function orderUpdateRule(listing: readonly string[], notListing: readonly string[]): string {
  return codeRule(
    `${HANDLERS}/order-update.ts`,
    'an update is built from this table and the order event table alone: no other row of the order tables applies, so an update needs no ' +
      'timestamp, total, currency or customer, and its custom fields, addresses and line items are not read. Ometria upserts orders by `id` ' +
      "and merges the fields pushed: re-sent, a refund's total would overwrite the order's total, its time would move the order to the " +
      "refund's date, and its few products would replace the order's line items. " +
      `An event *lists products* when \`properties.products\` is present and is not an empty list (a malformed list counts, since reading it ` +
      `as a full refund would stop the order counting as revenue): ${listing.join(', ')} count; ${notListing.join(', ')} do not.`,
  );
}

/** Where warnings and notes go (src/core/engine/warnings.ts, src/core/transform/pipeline.ts, src/core/transform/rudder-items.ts). */
export function warningsText(notes: readonly string[], unnoted: readonly string[], gated: readonly string[]): string {
  const silent = [
    ...unnoted,
    ...(gated.length === 0 ? [] : [`a source marked *only with* that is passed over because the record lacks that field (${gated.join(', ')})`]),
  ];
  const silentText = silent.length === 0 ? '' : `\n\nLeft out with neither a warning nor a note: ${silent.join('; ')}.`;
  return codeRule(
    undefined,
    [
      'a **warning** is a value that was skipped or dropped: a wrong kind, a failed check, an incomplete line item, a key an address cannot hold. ' +
        "Each is logged once at `warn` with the event's `jobId`, `destinationId` and the field path (never the value: it may be personal data), " +
        'and counted by field and reason in the metric `transformer_dropped_values_total` ' +
        '([`src/core/transform/pipeline.ts`](../src/core/transform/pipeline.ts), [`src/observability/metrics.ts`](../src/observability/metrics.ts)).',
      '',
      'A **note** names something left out *by design*, not because it was wrong; notes are explain-only: never logged, never counted ' +
        '([`src/core/engine/warnings.ts`](../src/core/engine/warnings.ts)). The notes the handlers write:',
      '',
      ...notes.map((note) => `- ${note}`),
      '',
      'With `?explain=true` on a transform route, each output item carries `warnings`: its warnings, then its notes, as `<path>: <reason>` ' +
        '(on a batch item, those of its events, each prefixed `job <jobId>: `). Without it the key is absent, so rudder-server never sees it ' +
        '([`src/core/transform/rudder-items.ts`](../src/core/transform/rudder-items.ts)).' +
        silentText,
    ].join('\n'),
  );
}
