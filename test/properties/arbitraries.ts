/**
 * fast-check arbitraries for RudderStack requests to the Ometria transformer: realistic events
 * (identify, track, order events, with traits, context.traits, properties, products and
 * integrations) where any field may instead be junk — the wrong kind, blank, huge, deeply
 * nested `fc.jsonValue()`, or an object carrying `__proto__` / `constructor` / `prototype` keys.
 *
 * Everything generated is JSON-serialisable, so the same value can go through `app.inject` and
 * straight into the pipeline.
 */
import fc from 'fast-check';

export type Json = Record<string, any>;

/** Sets an own, enumerable property even for `__proto__` (a plain assignment would set the prototype). */
export function defineOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** What the hostile keys try to plant on prototypes (oracle.ts checks these names after the runs). */
const payloadForPrototype = fc.constantFrom<unknown>(
  { polluted: 'yes', isAdmin: true },
  { prototype: { polluted: 'yes' } },
  { apiKey: 'stolen', jobId: 666 },
  'polluted',
  null,
  [{ polluted: true }],
);

/** Adds some of `__proto__`, `constructor`, `prototype` as own keys of an object value. */
export function withHostileKeys<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc
    .tuple(arb, fc.subarray(['__proto__', 'constructor', 'prototype'], { minLength: 1 }), payloadForPrototype)
    .map(([value, keys, payload]) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      for (const key of keys) defineOwn(value, key, structuredClone(payload));
      return value;
    });
}

const blankStrings = fc.constantFrom('', ' ', '   ', '\t\n', '\u00a0', '\u200b', '\u3000');
const hugeNumbers = fc.constantFrom(
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 64,
  -(2 ** 63),
  5e-324,
  1.7976931348623157e308,
  0,
  -1,
  123456789012345680000,
);
const numericStrings = fc.constantFrom('12', ' 12.50 ', '-3', '1e3', '0x10', '12 GBP', 'NaN', 'Infinity', '0', '007');
const oddStrings = fc.constantFrom(
  'null',
  'undefined',
  'true',
  '{}',
  '[]',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '\u0000',
  '\ud83d\ude00 emoji',
  'line\nbreak',
  '"quoted"',
  '\ud800 lone surrogate',
  '{{ message.userId || "x" }}',
);

export const junkScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  hugeNumbers,
  blankStrings,
  numericStrings,
  oddStrings,
  fc.string({ maxLength: 12 }),
  fc.string({ maxLength: 6, unit: 'binary' }),
);

/** An object or array nested `depth` levels, around the service's 64-level cut-off. */
export const deepValue: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 60, max: 200 }), fc.boolean())
  .map(([depth, arrays]) => {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i++) value = arrays ? [value] : { d: value };
    return value;
  });

/** Anything at all, in JSON: the wrong kind for whatever field it lands in. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: junkScalar },
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: fc.array(junkScalar, { maxLength: 3 }) },
  { weight: 2, arbitrary: withHostileKeys(fc.dictionary(fc.string({ maxLength: 5 }), junkScalar, { maxKeys: 3, noNullPrototype: true })) },
);

/** Mostly `good`, sometimes junk, sometimes absent (undefined: the key is dropped before use). */
export function field<T>(good: fc.Arbitrary<T>, goodWeight = 4, absentWeight = 1): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: goodWeight, arbitrary: good as fc.Arbitrary<unknown> },
    { weight: 1, arbitrary: junk },
    { weight: absentWeight, arbitrary: fc.constant(undefined) },
  );
}

/** A field most events do not carry: usually absent, else good or junk. */
export function rare<T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return field(good, 2, 7);
}

/** An object of the given fields, absent ones dropped, sometimes with extra and hostile keys. */
function objectOf(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Json> {
  const base = fc
    .tuple(fc.record(fields), fc.dictionary(fc.string({ maxLength: 8 }), junk, { maxKeys: 3, noNullPrototype: true }))
    .map(([known, extra]) => {
      const out: Json = {};
      for (const [k, v] of Object.entries(extra)) if (v !== undefined) defineOwn(out, k, v);
      for (const [k, v] of Object.entries(known)) if (v !== undefined) defineOwn(out, k, v);
      return out;
    });
  return fc.oneof({ weight: 4, arbitrary: base }, { weight: 1, arbitrary: withHostileKeys(base) });
}

const emails = fc.constantFrom('a@example.com', 'Bob.Smith+tag@Example.co.uk', 'not-an-email', 'ünï@exämple.de', 42);
const ids = fc.oneof(fc.constantFrom('u-1', 'user 2', 'ID_3', '0', 7, 0, 123456789), fc.uuid());
const timestamps = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('2024-03-01T12:34:56.789Z', '2024-03-01T12:34:56+01:00', '2024-03-01T12:34:56-0530') },
  {
    weight: 1,
    arbitrary: fc.date({ min: new Date(0), max: new Date(4102444800000), noInvalidDate: true }).map((d) => d.toISOString()),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '2024-03-01T12:34',
      '2024-03-01 12:34:56',
      '2024-02-30T10:00:00Z',
      '2024-W09-5T10:00:00Z',
      '20240301T123456Z',
      'yesterday',
      1709296496789,
    ),
  },
);
const names = fc.constantFrom('Ada', 'Ada Lovelace', 'Ada King Byron Lovelace', '  spaced   out  ', 'José', 8);
const phones = fc.constantFrom('+447911123456', '+44 (7911) 123-456', '07911123456', '+1 202 555 0143 ext. 5', 'tel:+447911123456', 447911123456);
const genders = fc.constantFrom('f', 'Female', ' MALE ', 'o', 'others', 'x', 1);
const optins = fc.constantFrom('EXPLICITLY_OPTEDIN', 'EXPLICITLY_OPTEDOUT', 'EXPLICITYLY_OPTEDOUT', 'NOT_SPECIFIED', 'YES');
const currencies = fc.oneof(fc.constantFrom('GBP', 'usd', ' eur ', 'JPY'), fc.constantFrom('XXX', 'ABC', 'POUNDS', 826));
const amounts = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -10, max: 10_000 }) },
  { weight: 3, arbitrary: fc.double({ min: 0, max: 1e6, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom('12.50', ' 7 ', '1e3', 'free') },
);
const smallObject = fc.dictionary(fc.string({ maxLength: 6 }), junkScalar, { maxKeys: 3, noNullPrototype: true });

const traitFields = {
  email: field(emails),
  listingId: field(ids),
  userId: rare(ids),
  id: rare(ids),
  name: rare(names),
  firstName: rare(names),
  first_name: rare(names),
  lastName: rare(names),
  middleName: rare(names),
  phone: rare(phones),
  phoneNumber: rare(phones),
  gender: rare(genders),
  collection: rare(fc.constantFrom('vip', 'b2b')),
  prefix: rare(fc.constantFrom('Dr', 'Ms')),
  dateOfBirth: rare(fc.constantFrom('1990-01-01', '01/01/1990')),
  birthday: rare(fc.constantFrom('1990-01-01')),
  countryId: rare(fc.constantFrom('GB', 'US')),
  timezone: rare(fc.constantFrom('Europe/London')),
  createdAt: rare(timestamps),
  timestampSubscribed: rare(timestamps),
  timestampUnsubscribed: rare(timestamps),
  storeIds: rare(fc.array(fc.constantFrom('s1', 's2', 3), { maxLength: 3 })),
  addToLists: rare(fc.array(fc.constantFrom('l1', 'l2'), { maxLength: 2 })),
  removeFromLists: rare(fc.array(fc.constantFrom('l3'), { maxLength: 2 })),
  forceOptin: rare(fc.boolean()),
  merge: rare(fc.boolean()),
  custom_fields: rare(smallObject),
  profile_id: rare(ids),
  plan: rare(fc.constantFrom('pro', 'free')),
  'a.b': rare(fc.constantFrom('dotted')),
  nested: rare(deepValue),
};

const integrationsObject = objectOf({
  listingId: field(ids),
  marketingOptin: rare(optins),
  allowMarketing: rare(fc.boolean()),
  allow_marketing: rare(fc.boolean()),
  allowTransactional: rare(fc.boolean()),
  allow_transactional: rare(fc.boolean()),
  dt_updated_marketing: rare(timestamps),
  dt_updated_transactional: rare(timestamps),
});

const integrations = objectOf({
  All: field(fc.boolean()),
  Ometria: field(integrationsObject),
  ometria: field(fc.oneof(integrationsObject, fc.constant(true))),
  OMETRIA: field(integrationsObject),
});

const address = objectOf({
  city: field(fc.constantFrom('London', 'Paris')),
  state: field(fc.constantFrom('CA')),
  country_code: field(fc.constantFrom('GB')),
  country: field(fc.constantFrom('FR')),
  countryCode: field(fc.constantFrom('US')),
  postcode: field(fc.constantFrom('N1 9GU')),
  postalCode: field(fc.constantFrom('75001', 75001)),
});

const variantOption = objectOf({
  id: field(ids),
  type: field(fc.constantFrom('size', 'colour')),
  label: field(fc.constantFrom('M', 'red')),
});

const product = objectOf({
  product_id: field(ids, 6),
  variant_id: rare(ids),
  quantity: field(fc.oneof(fc.integer({ min: -2, max: 5 }), fc.constantFrom('2', '1.5')), 6),
  sku: rare(fc.constantFrom('SKU-1', 99)),
  unit_price: field(amounts, 5),
  price: rare(amounts),
  subtotal: rare(amounts),
  tax: rare(amounts),
  total: rare(amounts),
  discount: rare(amounts),
  quantity_refunded: rare(amounts),
  refunded: rare(amounts),
  is_on_sale: rare(fc.boolean()),
  totals: rare(fc.oneof(smallObject, deepValue)),
  properties: field(smallObject, 1),
  variant_options: rare(fc.array(fc.oneof(variantOption, junk), { maxLength: 3 })),
});

const orderEvents = fc.constantFrom(
  'Order Completed', 'order complete', ' COMPLETE ', 'Order Shipped', 'shipped', 'order pending', 'Pending',
  'Order Cancelled', ' cancelled', 'Order Refunded', 'REFUNDED',
);
const customEvents = fc.constantFrom('Signed Up', 'Product Viewed', '  Basket Updated ', 'Completed Order', 'order', 'Order Updated');

const properties = objectOf({
  event_id: rare(ids),
  email: field(emails),
  profile_id: rare(ids),
  timestamp: field(timestamps),
  custom_fields: rare(fc.oneof(smallObject, deepValue)),
  order_id: field(ids, 8),
  grand_total: field(amounts, 6),
  total: rare(amounts),
  revenue: rare(amounts),
  currency: field(currencies, 8),
  subtotal: rare(amounts),
  discount: rare(amounts),
  shipping: rare(amounts),
  tax: rare(amounts),
  web_id: rare(fc.constantFrom('web')),
  channel: rare(fc.constantFrom('online')),
  store: rare(fc.constantFrom('uk')),
  payment_method: rare(fc.constantFrom('card')),
  shipping_method: rare(fc.constantFrom('post')),
  coupon_code: rare(fc.constantFrom('SAVE10')),
  coupon: rare(fc.constantFrom('SPRING', 5)),
  ip_address: rare(fc.constantFrom('10.0.0.1')),
  shipping_address: rare(address),
  billing_address: rare(address),
  products: field(fc.array(fc.oneof({ weight: 4, arbitrary: product }, { weight: 1, arbitrary: junk }), { maxLength: 4 }), 6),
  status: rare(fc.constantFrom('complete')),
  is_valid: rare(fc.boolean()),
  customer: rare(smallObject),
  plan: rare(fc.constantFrom('pro')),
  userId: rare(ids),
  event_type: rare(fc.constantFrom('x')),
  nested: rare(deepValue),
  custom_fields_deep: rare(deepValue),
});

const context = objectOf({
  traits: field(objectOf(traitFields), 6),
  timezone: rare(fc.constantFrom('Europe/Paris')),
  ip: rare(fc.constantFrom('192.0.2.1')),
  apiKey: rare(fc.constantFrom('key-from-message', ' ', 'key-2')),
  library: rare(fc.constant({ name: 'analytics.js', version: '2.0.0' })),
});

const common = {
  messageId: field(ids, 8),
  userId: field(ids),
  anonymousId: rare(ids),
  timestamp: field(timestamps, 8),
  originalTimestamp: rare(timestamps),
  context: field(context, 8),
  integrations: rare(integrations),
};

const identifyMessage = objectOf({
  ...common,
  type: field(fc.constantFrom('identify', 'Identify', ' IDENTIFY '), 40),
  traits: field(objectOf(traitFields), 8),
});

const trackMessage = objectOf({
  ...common,
  type: field(fc.constantFrom('track', 'TRACK', ' Track'), 40),
  event: field(fc.oneof(orderEvents, customEvents), 20),
  properties: field(properties, 10),
  traits: field(objectOf(traitFields)),
});

const otherMessage = objectOf({
  ...common,
  type: fc.constantFrom('page', 'screen', 'group', 'alias', '', '  '),
  name: field(fc.constantFrom('Home')),
});

/** A message: mostly realistic, sometimes any JSON at all. */
export const message: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 9, arbitrary: identifyMessage },
  { weight: 10, arbitrary: trackMessage },
  { weight: 1, arbitrary: otherMessage },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: junk },
);

/** A template that resolves to `message.context.apiKey` or to the default (docs/RUDDERSTACK.md, "9. Dynamic config"). */
export const API_KEY_TEMPLATE = '{{ message.context.apiKey || "fallback-key" }}';

const apiKeys = fc.constantFrom('key-1', 'key-2', ' key with spaces ', 'ključ-ü', API_KEY_TEMPLATE);

export const config: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 20,
    arbitrary: objectOf({
      apiKey: field(apiKeys, 24),
      marketingOptin: field(optins),
      allowMarketing: field(fc.boolean()),
      allowTransactional: field(fc.boolean()),
      // Templates copying message values into Config: grouped by and echoed, never a crash.
      region: rare(fc.constantFrom('eu', '{{ message.traits.plan || "eu" }}', '{{ event.properties || "none" }}', '{{ metadata.jobId || 0 }}')),
    }),
  },
  { weight: 1, arbitrary: junk },
);

export const destinationIds = ['dest-1', 'dest-2', 'dest-3'] as const;

/** A destination as RudderStack sends it (or junk); `ID` picks from a few so groups form. */
export const destination: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 24,
    arbitrary: fc
      .record({
        ID: field(fc.constantFrom(...destinationIds), 24),
        Config: field(config, 24),
        hasDynamicConfig: fc.constantFrom(false, true, undefined),
        Name: fc.constant('ometria'),
        DestinationDefinition: fc.constant({ ID: 'def-1', Name: 'OMETRIA', DisplayName: 'Ometria', Config: {} }),
        Enabled: fc.constant(true),
        WorkspaceID: fc.constant('ws-1'),
      })
      .map((d) => JSON.parse(JSON.stringify(d)) as Json),
  },
  { weight: 1, arbitrary: junk },
);

/** Processor metadata: RudderStack's shape with junk extras, or junk (it is echoed whatever it is). */
export const processorMetadata: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: objectOf({
      jobId: field(fc.integer({ min: 1, max: 1e9 }), 12),
      workspaceId: field(fc.constantFrom('ws-1'), 12),
      messageId: field(ids),
      sourceId: field(fc.constantFrom('src-1')),
      destinationId: field(fc.constantFrom(...destinationIds), 12),
      destinationType: field(fc.constantFrom('OMETRIA')),
      eventName: field(fc.string({ maxLength: 10 })),
    }),
  },
  { weight: 1, arbitrary: junk },
);

/** Router metadata extras (the jobId is set by the request builder, unique per request). */
export const routerMetadataExtras: fc.Arbitrary<Json> = objectOf({
  userId: field(ids),
  sourceId: field(fc.constantFrom('src-1')),
  attemptNum: field(fc.integer({ min: 0, max: 3 })),
  workspaceId: field(fc.constantFrom('ws-1', 'ws-2')),
  secret: field(fc.constant(null)),
  dontBatch: field(fc.boolean()),
  receivedAt: field(timestamps),
});

export interface ProcessorItem {
  message?: unknown;
  metadata?: unknown;
  destination?: unknown;
}

const drop = (o: Json): Json => {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
};

/** One processor request item: fields may be missing. */
export const processorItem: fc.Arbitrary<ProcessorItem> = fc
  .record({
    message: fc.oneof({ weight: 30, arbitrary: message }, { weight: 1, arbitrary: fc.constant(undefined) }),
    metadata: fc.oneof({ weight: 20, arbitrary: processorMetadata }, { weight: 1, arbitrary: fc.constant(undefined) }),
    destination: fc.oneof({ weight: 30, arbitrary: destination }, { weight: 1, arbitrary: fc.constant(undefined) }),
  })
  .map((item) => drop(item) as ProcessorItem);

export interface RouterItem {
  message: unknown;
  metadata: Json & { jobId: number };
  destination?: unknown;
}

/**
 * Router items with unique jobIds (RudderStack never repeats one in a request). Most items share
 * one of a few destinations, as events of one workspace do, so batches form; some bring their own.
 */
export function routerItems(constraints: { minLength?: number; maxLength: number }): fc.Arbitrary<RouterItem[]> {
  const own = fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: destination });
  return fc
    .record({
      pool: fc.array(destination, { minLength: 1, maxLength: 3 }),
      rows: fc.array(fc.tuple(message, routerMetadataExtras, fc.nat(), own, fc.constantFrom(...destinationIds)), constraints),
    })
    .map(({ pool, rows }) =>
      rows.map(([msg, extras, pick, ownDestination, destinationId], i) => {
        const dest = ownDestination ?? pool[pick % pool.length];
        const metadata = extras as Json & { jobId: number };
        metadata.jobId = 1000 + i;
        const id = typeof dest === 'object' && dest !== null ? (dest as Json).ID : undefined;
        metadata.destinationId = typeof id === 'string' ? id : destinationId;
        return { message: msg, metadata, destination: dest };
      }),
    );
}
