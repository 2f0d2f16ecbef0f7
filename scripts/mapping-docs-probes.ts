/**
 * What the handlers do, asked of the handlers themselves: scripts/mapping-docs.ts shows the records
 * an order update sends, the notes the handlers write and which `products` values count as listed
 * by running the code on sample messages, so the docs cannot say otherwise than the code does. The
 * sample messages are built from the mapping tables (a valid value at each row's first source).
 */
import type { FieldRule } from '../schemas/mapping.js';
import type { MessageHandler } from '../src/core/destination.js';
import { compilePath } from '../src/core/engine/paths.js';
import type { PlainObject } from '../src/core/plain-object.js';
import { Warnings } from '../src/core/engine/warnings.js';
import { mapLineItems } from '../src/destinations/ometria/handlers/line-items.js';
import { CONTACT_TABLE } from '../src/destinations/ometria/mappings/contact.js';
import { CUSTOM_EVENT_TABLE } from '../src/destinations/ometria/mappings/custom-event.js';
import { LINE_ITEM_TABLE, ORDER_CUSTOMER_TABLE, ORDER_EVENTS, ORDER_TABLE } from '../src/destinations/ometria/mappings/order.js';
import type { Table } from './mapping-docs-rows.js';

/** A value each row accepts, by kind and check (also used by test/docs/mapping-docs.test.ts). */
export function validValue(rule: FieldRule): unknown {
  switch (rule.kind) {
    case 'amount':
      return 1;
    case 'flag':
      return true;
    case 'list':
      return [];
    case 'object':
      return {};
    case 'identifier':
    case 'text':
      switch (rule.check) {
        case 'e164':
          return '+447911123456';
        case 'isoDateTime':
          return '2024-03-05T09:15:02Z';
        case 'currency':
          return 'GBP';
        case 'country':
          return 'GB';
        case 'timezone':
          return 'Europe/London';
        case 'oneOf':
          return Object.keys(rule.values ?? {})[0];
        case undefined:
          return 'x1';
      }
  }
}

/** Sets `path` (dotted) on `root`, making the objects on the way. */
export function put(root: PlainObject, path: string, value: unknown): void {
  const keys = path.split('.');
  let object = root;
  for (const key of keys.slice(0, -1)) object = (object[key] ??= {}) as PlainObject;
  object[keys[keys.length - 1] as string] = value;
}

/** A valid value at the first message source of every row of the tables (sources on the integrations object and Config are left alone). */
function filled(tables: readonly Table[], message: PlainObject = {}): PlainObject {
  for (const table of tables) {
    for (const rule of Object.values(table)) {
      const source = rule.from.find((text) => compilePath(text).root === 'subject');
      if (source !== undefined) put(message, source, validValue(rule));
    }
  }
  return message;
}

/** The record a handler maps `message` to, and the notes (not the warnings) it wrote. */
function run(handler: MessageHandler, message: PlainObject): { readonly record: PlainObject; readonly notes: string[] } {
  const warnings = new Warnings();
  const { record } = handler(message, { subject: message, subjectPath: '', config: {}, warnings });
  return { record, notes: warnings.texts().slice(warnings.list.length) };
}

const notesOf = (handler: MessageHandler, message: PlainObject): string[] => run(handler, message).notes;

/** A key no row reads, as the docs show it. */
export const ANY_KEY = '<key>';

const anyEventName = (update: boolean): string => {
  const name = [...ORDER_EVENTS].find(([, event]) => event.update === update)?.[0];
  if (name === undefined) throw new Error(`ORDER_EVENT_TABLE has no event with update: ${String(update)}`);
  return name;
};

/**
 * The notes each record's handler writes for a key of its leftover object when custom fields are
 * given (every row filled, `custom_fields` included, plus one key no row reads); empty when none.
 */
export function leftoverNotes(handlers: Readonly<Record<string, MessageHandler>>): Readonly<Record<'contact' | 'custom_event' | 'order' | 'line_item', string[]>> {
  const { identify, track } = handlers;
  if (identify === undefined || track === undefined) throw new Error('The Ometria definition has no identify or track handler');
  const contact = filled([CONTACT_TABLE], { type: 'identify' });
  put(contact, `traits.${ANY_KEY}`, 'x');
  const customEvent = filled([CUSTOM_EVENT_TABLE], { type: 'track', event: 'x' });
  put(customEvent, `properties.${ANY_KEY}`, 'x');
  const order = filled([ORDER_TABLE, ORDER_CUSTOMER_TABLE], { type: 'track', event: anyEventName(false) });
  put(order, `properties.${ANY_KEY}`, 'x');
  // The line item on its own: a complete item with `properties` and one key no row reads.
  const product = filled([LINE_ITEM_TABLE]);
  product[ANY_KEY] = 'x';
  const lineItemWarnings = new Warnings();
  if (mapLineItems([product], lineItemWarnings).length !== 1) throw new Error('The sample line item was not kept: see validValue in scripts/mapping-docs-probes.ts');
  return {
    contact: notesOf(identify, contact),
    custom_event: notesOf(track, customEvent),
    order: notesOf(track, order),
    line_item: lineItemWarnings.texts().slice(lineItemWarnings.list.length),
  };
}

/** The placeholder an update's id shows as. */
export const ORDER_ID = '<order_id>';

export interface UpdateProbe {
  readonly names: readonly string[];
  /** Whether the event listed products: `undefined` when it makes no difference. */
  readonly withProducts: boolean | undefined;
  /** The record as the handler wrote it. */
  readonly record: PlainObject;
}

/**
 * The record of every update event, without products and with a listed product (one probe when
 * the two are the same), events giving the same records grouped.
 */
export function orderUpdates(track: MessageHandler): UpdateProbe[] {
  const groups = new Map<string, { names: string[]; withProducts: boolean | undefined; record: PlainObject }>();
  const add = (name: string, withProducts: boolean | undefined, record: PlainObject): void => {
    const key = JSON.stringify([withProducts, record]);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { names: [name], withProducts, record });
    else group.names.push(name);
  };
  for (const [name, event] of ORDER_EVENTS) {
    if (!event.update) continue;
    const record = (products: boolean): PlainObject =>
      run(track, { type: 'track', event: name, properties: { order_id: ORDER_ID, ...(products ? { products: [{ product_id: 'p-1', quantity: 1 }] } : {}) } }).record;
    const without = record(false);
    const withProducts = record(true);
    if (JSON.stringify(without) === JSON.stringify(withProducts)) {
      add(name, undefined, without);
    } else {
      add(name, false, without);
      add(name, true, withProducts);
    }
  }
  return [...groups.values()];
}

/** The note an update writes for properties holding `order_id` and two other keys, and whether one holding only `order_id` gets one. */
export function orderUpdateNote(track: MessageHandler): { readonly note: string | undefined; readonly noneWhenOnlyId: boolean } {
  const event = anyEventName(true);
  const probe = (properties: PlainObject): string[] => notesOf(track, { type: 'track', event, properties });
  const [note, ...more] = probe({ order_id: ORDER_ID, [`${ANY_KEY} 1`]: 1, [`${ANY_KEY} 2`]: 2 });
  if (more.length > 0) throw new Error('An order update wrote more than one note: describe them in scripts/mapping-docs.ts');
  return { note, noneWhenOnlyId: probe({ order_id: ORDER_ID }).length === 0 };
}

/**
 * Which `properties.products` values make a refund list products, as the handler reads them: the
 * values of `candidates` (written as JSON, `undefined` for absent) split by the status they give.
 */
export function productVerdicts(track: MessageHandler): { readonly listing: string[]; readonly notListing: string[] } {
  const name = [...ORDER_EVENTS].find(([, event]) => event.update && event.withProducts !== undefined)?.[0];
  if (name === undefined) return { listing: [], notListing: [] };
  const status = (products: unknown): unknown => {
    const properties: PlainObject = products === undefined ? { order_id: ORDER_ID } : { order_id: ORDER_ID, products };
    return run(track, { type: 'track', event: name, properties }).record.status;
  };
  const without = status(undefined);
  const candidates: readonly unknown[] = [[{ product_id: 'p-1' }], [null], {}, 'x', [], null, ''];
  const shown = (value: unknown): string => `\`${JSON.stringify(value)}\``;
  const listing = candidates.filter((value) => status(value) !== without).map(shown);
  const notListing = ['absent', ...candidates.filter((value) => status(value) === without).map(shown)];
  return { listing, notListing };
}
