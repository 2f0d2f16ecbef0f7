/**
 * The golden corpus: a few thousand seeded events, rebuilt identically on every run, and the
 * requests that carry them. The answers the service gave to these requests before the speed
 * rewrite are recorded in answers.json.gz; golden.test.ts holds the service to them byte for byte.
 *
 * Three sources: fast-check's hostile arbitraries (junk in every field), a realistic generator
 * (the shapes SDKs send, phones of every country libphonenumber knows, valid and not), and every
 * message of the table-driven mapping fixtures.
 */
import fc from 'fast-check';
import examples from 'libphonenumber-js/examples.mobile.json';
import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import { mulberry32 } from '../../src/mock-ometria/prng.js';
import { CONTACT_CASES } from '../fixtures/ometria/contact-cases.js';
import { CUSTOM_EVENT_CASES } from '../fixtures/ometria/custom-event-cases.js';
import { MESSAGE_CASES } from '../fixtures/ometria/message-cases.js';
import { ORDER_CASES } from '../fixtures/ometria/order-cases.js';
import { ORDER_UPDATE_CASES } from '../fixtures/ometria/order-update-cases.js';
import { NATIONAL_PHONE_CASES } from '../fixtures/ometria/phone-cases.js';
import { COUNTRY_CASES } from '../fixtures/ometria/country-cases.js';
import { destination as rsDestination, routerMetadata } from '../helpers/envelopes.js';
import { routerItems } from '../properties/arbitraries.js';

type Json = Record<string, any>;

export interface GoldenRequest {
  /** Unique, stable: names the recorded answer. */
  readonly name: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  /** The JSON text sent. */
  readonly payload: string;
}

interface Item {
  message: unknown;
  metadata: Json;
  destination?: unknown;
}

const BATCH = 100;

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

// ---- realistic events --------------------------------------------------------------------------

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Zoë', 'José', 'Mary Ann'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Ó Briain', "O'Neil", 'van Rossum'];
const EVENTS = ['Product Viewed', 'Signed Up', 'Wishlist Added', ' Newsletter Subscribed ', 'Order Updated'];
const ORDER_EVENTS = ['Order Completed', 'order shipped', 'Order Pending', 'Order Cancelled', 'Order Refunded', 'complete'];
const CURRENCIES = ['GBP', 'eur', 'USD', ' jpy ', 'XXX', 'POUNDS'];
const GENDERS = ['female', 'M', 'other', 'x', ' Female '];
const TIMESTAMPS = ['2024-03-01T12:34:56.789Z', '2024-02-29T23:59:59+01:00', '2024-02-30T10:00:00Z', '2024-03-01T24:00:00Z', '2023-12-31T12:00-0530', 'yesterday'];
const COUNTRIES = Object.keys(examples) as CountryCode[];

/** A phone of any country libphonenumber has an example for, written one of several ways. */
function phone(random: () => number): string {
  const country = COUNTRIES[Math.floor(random() * COUNTRIES.length)] as CountryCode;
  const national = examples[country] as string;
  const digits = national.replace(/^0/, '');
  const code = String(callingCode(country));
  switch (Math.floor(random() * 8)) {
    case 0:
      return `+${code}${national}`; // national prefix kept after the calling code
    case 1:
      return `+${code} ${digits.slice(0, 3)} ${digits.slice(3)}`;
    case 2:
      return `+${code} (0) ${digits}`;
    case 3:
      return `+${code}-${digits.slice(0, -1)}`; // one digit short
    case 4:
      return `+${code}.${digits}${Math.floor(random() * 10)}`; // one digit long
    case 5:
      return ` +${code}${digits} `;
    default:
      return `+${code}${digits}`;
  }
}

// The calling code per country, from libphonenumber's own metadata (through its public API).
let codes: Map<string, string> | undefined;
function callingCode(country: CountryCode): string {
  codes ??= new Map(COUNTRIES.map((c) => [c, getCountryCallingCode(c)]));
  return codes.get(country) as string;
}

function realisticMessage(i: number, random: () => number): Json {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const first = pick(FIRST);
  const last = pick(LAST);
  const email = `${first.toLowerCase().replace(/\W/g, '')}.${i}@example.com`;
  const timestamp = random() < 0.85 ? new Date(Date.UTC(2024, 2, 1, 12, i % 60, i % 59, Math.floor(random() * 1000))).toISOString() : pick(TIMESTAMPS);
  const context: Json = { ip: `81.2.69.${i % 250}`, library: { name: 'analytics.js', version: '2.11.1' }, locale: 'en-GB', traits: { email } };
  if (random() < 0.3) context.timezone = 'Europe/London';
  const base: Json = { messageId: `msg-${i}`, anonymousId: `anon-${i}`, timestamp, originalTimestamp: timestamp, context };
  if (random() < 0.9) base.userId = random() < 0.2 ? 1000 + i : `user-${i}`;
  switch (i % 3) {
    case 0: {
      const traits: Json = { email, listingId: random() < 0.95 ? `listing-${i}` : undefined };
      if (random() < 0.7) traits.phone = phone(random);
      if (random() < 0.5) traits.firstName = first;
      if (random() < 0.5) traits.lastName = last;
      if (random() < 0.3) traits.name = `${first} ${last}`;
      if (random() < 0.5) traits.gender = pick(GENDERS);
      if (random() < 0.4) traits.createdAt = pick(TIMESTAMPS);
      if (random() < 0.3) traits.plan = pick(['free', 'pro', 'team']);
      if (random() < 0.2) traits.addToLists = ['newsletter'];
      if (random() < 0.2) base.integrations = { Ometria: { marketingOptin: pick(['EXPLICITLY_OPTEDIN', 'EXPLICITYLY_OPTEDOUT', 'maybe']), allow_marketing: random() < 0.5 } };
      return { ...base, type: pick(['identify', 'identify', ' Identify ']), traits: JSON.parse(JSON.stringify(traits)) as Json };
    }
    case 1:
      return {
        ...base,
        type: 'track',
        event: pick(EVENTS),
        properties: { sku: `SKU-${Math.floor(random() * 5000)}`, price: Math.round(random() * 10000) / 100, currency: 'GBP', ...(random() < 0.2 ? { event_id: `ev-${i}` } : {}) },
      };
    default: {
      const products = Array.from({ length: Math.floor(random() * 4) }, (_, p) => {
        const product: Json = { product_id: random() < 0.95 ? `prod-${Math.floor(random() * 9000)}` : undefined, sku: `SKU-${p}`, name: 'Running shoe', quantity: Math.floor(random() * 4) };
        if (random() < 0.5) product.price = Math.round(random() * 10000) / 100;
        else product.unit_price = String(Math.round(random() * 10000) / 100);
        if (random() < 0.4) product.variant_options = [{ id: 'size', type: 'size', label: String(38 + p) }, { id: 'c' }];
        return JSON.parse(JSON.stringify(product)) as Json;
      });
      const total = Math.round(random() * 30000) / 100;
      const properties: Json = { order_id: `order-${i}`, currency: pick(CURRENCIES), products, revenue: total - 5, shipping: 4.95 };
      if (random() < 0.5) properties.total = total;
      else properties.grand_total = random() < 0.9 ? total : 'lots';
      if (random() < 0.5) properties.coupon = 'SPRING';
      if (random() < 0.4) properties.shipping_address = { city: 'London', country: 'GB', postalCode: 'N1 9GU', street: '1 Main St' };
      return { ...base, type: 'track', event: pick(ORDER_EVENTS), properties };
    }
  }
}

function realisticItems(count: number, seed: number): Item[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => {
    const destinationId = i % 7 === 0 ? 'dest-b' : 'dest-a';
    const config = destinationId === 'dest-a' ? { apiKey: 'key-a', marketingOptin: 'NOT_SPECIFIED' } : { apiKey: 'key-b', allowMarketing: true };
    return { message: realisticMessage(i, random), metadata: routerMetadata(i + 1, destinationId), destination: rsDestination(destinationId, config) };
  });
}

// ---- fixtures and arbitraries ------------------------------------------------------------------

function fixtureItems(): Item[] {
  const cases = [
    ...MESSAGE_CASES,
    ...CONTACT_CASES,
    ...CUSTOM_EVENT_CASES,
    ...ORDER_CASES,
    ...ORDER_UPDATE_CASES,
    ...NATIONAL_PHONE_CASES,
    ...COUNTRY_CASES,
  ];
  return cases.map((c, i) => ({
    message: c.message,
    metadata: routerMetadata(i + 1),
    destination: rsDestination('dest-1', c.config ?? { apiKey: 'key-1' }),
  }));
}

function arbitraryItems(batches: number, seed: number): Item[][] {
  return fc.sample(routerItems({ minLength: BATCH, maxLength: BATCH }), { seed, numRuns: batches }) as Item[][];
}

// ---- requests ----------------------------------------------------------------------------------

function processorRequest(name: string, items: readonly Item[]): GoldenRequest {
  return { name: `processor ${name}`, url: '/v0/destinations/ometria?explain=true', payload: JSON.stringify(items) };
}

function routerRequest(name: string, items: readonly Item[]): GoldenRequest {
  return { name: `router ${name}`, url: '/routerTransform?explain=true', payload: JSON.stringify({ input: items, destType: 'ometria' }) };
}

/** The compacted form: each destination once, items without theirs (docs/RUDDERSTACK.md, "4. Router transform and batch"). */
function compactedRequest(name: string, items: readonly Item[]): GoldenRequest {
  const destinations: Json = {};
  for (const item of items) destinations[item.metadata.destinationId as string] = item.destination;
  return {
    name: `compacted ${name}`,
    url: '/routerTransform',
    headers: { 'x-content-format': 'json+compactedv1' },
    payload: JSON.stringify({ input: items.map(({ message, metadata }) => ({ message, metadata })), destType: 'ometria', destinations }),
  };
}

/** Every golden request, in a fixed order. */
export function goldenRequests(): GoldenRequest[] {
  const requests: GoldenRequest[] = [];
  chunks(realisticItems(2000, 20261201), BATCH).forEach((items, i) => {
    requests.push(processorRequest(`realistic ${i}`, items), routerRequest(`realistic ${i}`, items), compactedRequest(`realistic ${i}`, items));
  });
  arbitraryItems(20, 20261202).forEach((items, i) => {
    requests.push(processorRequest(`arbitrary ${i}`, items), routerRequest(`arbitrary ${i}`, items));
  });
  chunks(fixtureItems(), BATCH).forEach((items, i) => {
    requests.push(processorRequest(`fixtures ${i}`, items), routerRequest(`fixtures ${i}`, items));
  });
  return requests;
}
