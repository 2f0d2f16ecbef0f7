/**
 * Numbers where strings are expected and the reverse, objects and arrays where scalars are
 * expected: type, event, userId, traits, properties, products, apiKey, destType, input, metadata.
 * Each is a per-event 400 with the text docs/MAPPING.md gives, a converted value, or a skipped
 * value with a warning — never a 500, never a failed request for the other events.
 */
import t from 'tap';
import { jsonBody, testApp } from '../helpers/app.js';
import { customEventMessage, identifyMessage, orderMessage, processorMetadata, routerMetadata } from '../helpers/envelopes.js';
import { assertHealthy, DESTINATION, post, PROCESSOR, recordsOf, ROUTER, type Json } from './helpers.js';

type Outcome = { error: string; warnings?: string[] } | { record: Json; warnings?: string[] };

const CONTACT = { '@type': 'contact', id: 'L1', email: 'u1@example.com', customer_id: 'u-1' };
const CUSTOM = {
  '@type': 'custom_event',
  event_type: 'signed up',
  id: 'm-1',
  timestamp: '2024-03-01T12:34:56.789Z',
  identity_email: 'u1@example.com',
  identity_account_id: 'u-1',
  properties: { plan: 'pro' },
};
const ORDER = {
  '@type': 'order',
  status: 'complete',
  is_valid: true,
  id: 'o-1',
  timestamp: '2024-03-01T12:34:56.789Z',
  grand_total: 10,
  currency: 'GBP',
  lineitems: [{ product_id: 'p1', quantity: 1, unit_price: 10 }],
  customer: { id: 'u-1', email: 'u1@example.com' },
};
const { lineitems: _dropped, ...ORDER_WITHOUT_ITEMS } = ORDER;
const ACCOUNT_PATHS = '["userId","traits.userId","traits.id","context.traits.userId","context.traits.id","anonymousId"]';
const skipped = (path: string, kind: string, got: string) => `${path}: expected ${kind}, got ${got}; skipped`;
const IDENTIFIER = 'an identifier (a string or number)';
const NUMBER = 'a number (or a plain decimal string)';

/** Each message, sent with the others in one request, and what must become of it. */
const CASES: [string, unknown, Outcome][] = [
  // type
  ['type: 5', { ...identifyMessage(1), type: 5 }, { error: 'Event type is required: type is a number' }],
  ['type: true', { ...identifyMessage(1), type: true }, { error: 'Event type is required: type is a boolean' }],
  ['type: ["identify"]', { ...identifyMessage(1), type: ['identify'] }, { error: 'Event type is required: type is an array' }],
  ['type: {}', { ...identifyMessage(1), type: {} }, { error: 'Event type is required: type is an object' }],
  ['type: "12"', { ...identifyMessage(1), type: '12' }, { error: 'message type 12 is not supported: Ometria takes identify and track' }],
  // event
  ['event: 5', { ...customEventMessage(1), event: 5 }, { error: 'Event name is required for track call: event is a number' }],
  ['event: {name}', { ...customEventMessage(1), event: { name: 'Signed Up' } }, { error: 'Event name is required for track call: event is an object' }],
  ['event: ["Order Completed"]', { ...orderMessage(1), event: ['Order Completed'] }, { error: 'Event name is required for track call: event is an array' }],
  // userId and other identifiers
  ['userId: 42', { ...identifyMessage(1), userId: 42 }, { record: { ...CONTACT, customer_id: '42' } }],
  [
    'userId: {id}',
    { ...identifyMessage(1), userId: { id: 1 } },
    { record: { ...CONTACT, customer_id: 'anon-1' }, warnings: [skipped('userId', IDENTIFIER, 'an object')] },
  ],
  [
    'userId: true, no fallback',
    { ...customEventMessage(1), userId: true, anonymousId: null },
    { error: `Missing required value from ${ACCOUNT_PATHS}`, warnings: [skipped('userId', IDENTIFIER, 'a boolean')] },
  ],
  ['messageId: 99', { ...customEventMessage(1), messageId: 99 }, { record: { ...CUSTOM, id: '99' } }],
  ['listingId: 0', identifyMessage(1, { listingId: 0 }), { record: { ...CONTACT, id: '0' } }],
  [
    'listingId: {a}',
    identifyMessage(1, { listingId: { a: 1 } }),
    { error: 'Parameter listingId is required for identify: set integrations.Ometria.listingId, traits.listingId or context.traits.listingId (the contact\'s id in Ometria)', warnings: [skipped('traits.listingId', IDENTIFIER, 'an object')] },
  ],
  ['order_id: 77', orderMessage(1, { order_id: 77 }), { record: { ...ORDER, id: '77' } }],
  // text fields
  ['email: 12345', identifyMessage(1, { email: 12345 }), { record: { ...CONTACT, email: '12345' } }],
  ['firstName: 8', identifyMessage(1, { firstName: 8 }), { record: { ...CONTACT, firstname: '8' } }],
  ['timestamp: 1709296496789', { ...customEventMessage(1), timestamp: 1709296496789 }, { error: 'Timestamp format must be ISO-8601: timestamp is not a real date and time (YYYY-MM-DDTHH:MM[:SS[.fff]], then Z, ±HH:MM or nothing)' }],
  ['currency: 826', orderMessage(1, { currency: 826 }), { error: 'Parameter currency should be only 3 characters and must follow format ISO 4217: properties.currency 826 is not an ISO 4217 currency code (such as GBP, EUR or USD)' }],
  // flags and lists
  [
    'merge: "true", forceOptin: 1, storeIds: "s1"',
    identifyMessage(1, { merge: 'true', forceOptin: 1, storeIds: 's1' }),
    {
      record: CONTACT,
      warnings: [
        skipped('traits.storeIds', 'a list (array)', 'a string'),
        skipped('traits.forceOptin', 'a boolean', 'a number'),
        skipped('traits.merge', 'a boolean', 'a string'),
      ],
    },
  ],
  // traits
  ['traits: [email]', { ...identifyMessage(1), traits: ['u1@example.com'] }, { error: 'Parameter listingId is required for identify: set integrations.Ometria.listingId, traits.listingId or context.traits.listingId (the contact\'s id in Ometria)' }],
  ['traits: "email=…"', { ...identifyMessage(1), traits: 'email=u1@example.com' }, { error: 'Parameter listingId is required for identify: set integrations.Ometria.listingId, traits.listingId or context.traits.listingId (the contact\'s id in Ometria)' }],
  [
    'traits: 5, context.traits usable',
    { ...identifyMessage(1), traits: 5, context: { traits: { email: 'c@example.com', listingId: 7 } } },
    { record: { ...CONTACT, id: '7', email: 'c@example.com' }, warnings: ['traits: expected an object, got a number; skipped'] },
  ],
  // properties
  ['properties: "plan=pro"', { ...customEventMessage(1), properties: 'plan=pro' }, { record: { ...CUSTOM, properties: {} }, warnings: ['properties: expected an object, got a string; skipped'] }],
  ['properties: ["x"]', { ...customEventMessage(1), properties: ['x'] }, { record: { ...CUSTOM, properties: {} }, warnings: ['properties: expected an object, got an array; skipped'] }],
  ['properties: 5 on an order', { ...orderMessage(1), properties: 5 }, { error: 'Missing required value from ["properties.order_id"]' }],
  // amounts
  ['grand_total: "12.50"', orderMessage(1, { grand_total: '12.50' }), { record: { ...ORDER, grand_total: 12.5 } }],
  ['grand_total: "12 GBP"', orderMessage(1, { grand_total: '12 GBP' }), { error: 'Parameter grand_total must be a number: properties.grand_total is "12 GBP"; send a number or a plain decimal string such as "12.50"', warnings: [skipped('properties.grand_total', NUMBER, 'a string')] }],
  ['grand_total: true', orderMessage(1, { grand_total: true }), { error: 'Parameter grand_total must be a number: properties.grand_total is true; send a number or a plain decimal string such as "12.50"', warnings: [skipped('properties.grand_total', NUMBER, 'a boolean')] }],
  // products
  ['products: "p1,p2"', orderMessage(1, { products: 'p1,p2' }), { record: ORDER_WITHOUT_ITEMS, warnings: [skipped('properties.products', 'a list (array)', 'a string')] }],
  ['products: 3', orderMessage(1, { products: 3 }), { record: ORDER_WITHOUT_ITEMS, warnings: [skipped('properties.products', 'a list (array)', 'a number')] }],
  [
    'products: {one product}',
    orderMessage(1, { products: { product_id: 'p1', quantity: 1, unit_price: 1 } }),
    { record: ORDER_WITHOUT_ITEMS, warnings: [skipped('properties.products', 'a list (array)', 'an object')] },
  ],
  [
    'products: [junk…, numeric strings]',
    orderMessage(1, { products: [1, 'p', null, [], { product_id: 5, quantity: '2', unit_price: '9.99' }] }),
    {
      record: { ...ORDER, lineitems: [{ product_id: '5', quantity: 2, unit_price: 9.99 }] },
      warnings: [
        'properties.products[0]: expected an object, got a number; dropped',
        'properties.products[1]: expected an object, got a string; dropped',
        'properties.products[2]: expected an object, got null; dropped',
        'properties.products[3]: expected an object, got an array; dropped',
      ],
    },
  ],
];

t.test('wrong kinds in messages: per-event 400s or converted/skipped values, never 500', async (t) => {
  const app = await testApp(t);
  const body = CASES.map(([, message], i) => ({ message, metadata: processorMetadata(i + 1), destination: DESTINATION }));
  const res = await post(app, `${PROCESSOR}?explain=true`, JSON.stringify(body));
  t.equal(res.statusCode, 200);
  const items = res.json() as Json[];
  t.equal(items.length, CASES.length, 'one item per event');
  CASES.forEach(([name, , outcome], i) => {
    const item = items[i] as Json;
    t.strictSame(item.metadata, processorMetadata(i + 1), `${name}: its own metadata`);
    if ('error' in outcome) {
      t.equal(item.statusCode, 400, `${name}: 400`);
      t.equal(item.error, outcome.error, `${name}: error text`);
    } else {
      t.equal(item.statusCode, 200, `${name}: 200 (${String(item.error)})`);
      if (item.statusCode === 200) t.strictSame(recordsOf(item), [outcome.record], `${name}: record`);
    }
    for (const warning of outcome.warnings ?? []) t.ok((item.warnings as string[]).includes(warning), `${name}: warns "${warning}"`);
  });
  await assertHealthy(t, app);
});

t.test('wrong kinds of apiKey and Config: 400 Invalid Api Key, config flags skipped', async (t) => {
  const app = await testApp(t);
  const configs: unknown[] = [{ apiKey: 12345 }, { apiKey: true }, { apiKey: { key: 'k' } }, { apiKey: ['k'] }, { apiKey: '   ' }, { apiKey: null }, 'apiKey=k', 7, [], null];
  const body = configs.map((Config, i) => ({ message: identifyMessage(1), metadata: processorMetadata(i + 1), destination: { ID: 'd', Config } }));
  for (const url of [PROCESSOR, ROUTER]) {
    const res = await post(app, url, JSON.stringify(url === ROUTER ? { input: body, destType: 'ometria' } : body));
    t.equal(res.statusCode, 200, url);
    const json = res.json() as Json;
    const items = (Array.isArray(json) ? json : json.output) as Json[];
    t.equal(items.length, configs.length, `${url}: one item per event`);
    for (const item of items) {
      t.equal(item.statusCode, 400);
      t.match(item.error, /^Invalid Api Key: destination\.Config\.apiKey is (missing|blank|null|a number|a boolean|an array|an object)$/);
      t.equal(item.statTags.errorType, 'configuration');
    }
  }
  const flags = await post(
    app,
    `${PROCESSOR}?explain=true`,
    // With a phone, so the SMS consent flags of the Config are read (docs/DIFFERENCES.md, 20).
    JSON.stringify([{ message: identifyMessage(1, { phone: '+447911123456' }), metadata: processorMetadata(1), destination: { ID: 'd', Config: { apiKey: 'k', marketingOptin: 1, allowMarketing: 'true', allowTransactional: 0 } } }]),
  );
  const [item] = jsonBody<Json[]>(flags);
  t.equal(item?.statusCode, 200, 'bad config flags are skipped, not fatal');
  t.strictSame(recordsOf(item as Json), [{ ...CONTACT, phone_number: '+447911123456' }]);
  t.strictSame(item?.warnings, [
    'Config.marketingOptin: not one of EXPLICITLY_OPTEDIN, EXPLICITLY_OPTEDOUT, EXPLICITYLY_OPTEDOUT, NOT_SPECIFIED; ignored',
    'Config.allowMarketing: expected a boolean, got a string; skipped',
    'Config.allowTransactional: expected a boolean, got a number; skipped',
  ]);
  await assertHealthy(t, app);
});

t.test('metadata of any kind is echoed as it is and the event still transformed', async (t) => {
  const app = await testApp(t);
  const metadatas: unknown[] = [5, 'x', [1, 2], true, { jobId: '1', destinationId: 5, workspaceId: ['w'] }, {}];
  const body = metadatas.map((metadata) => ({ message: identifyMessage(1), metadata, destination: DESTINATION }));
  const res = await post(app, PROCESSOR, JSON.stringify(body));
  t.equal(res.statusCode, 200);
  const items = res.json() as Json[];
  t.strictSame(
    items.map((i) => i.metadata),
    metadatas,
    'every metadata echoed unchanged',
  );
  t.strictSame(
    items.map((i) => i.statusCode),
    metadatas.map(() => 200),
  );
  // On the router, odd metadata kinds still come back once each, in a non-empty metadata array.
  const router = await post(app, ROUTER, JSON.stringify({ input: body, destType: 'ometria' }));
  t.equal(router.statusCode, 200);
  const output = (router.json() as { output: Json[] }).output;
  t.strictSame(
    output.flatMap((o) => o.metadata as unknown[]),
    metadatas,
    'router: every metadata exactly once',
  );
  t.strictSame(output.filter((o) => (o.metadata as unknown[]).length === 0), [], 'router: no empty metadata array');
  // Error statTags only carry string ids: a numeric destinationId is left out, never a number.
  const failing = await post(app, PROCESSOR, JSON.stringify([{ message: { type: 5 }, metadata: { jobId: 1, destinationId: 5, workspaceId: 'ws' }, destination: DESTINATION }]));
  const [error] = jsonBody<Json[]>(failing);
  t.equal(error?.statusCode, 400);
  t.strictSame(error?.statTags, {
    errorCategory: 'dataValidation',
    errorType: 'instrumentation',
    destType: 'OMETRIA',
    module: 'destination',
    implementation: 'native',
    feature: 'processor',
    workspaceId: 'ws',
  });
  await assertHealthy(t, app);
});

t.test('wrong kinds in the envelope: destType, input, items, destinations', async (t) => {
  const app = await testApp(t);
  const item = { message: identifyMessage(1), metadata: routerMetadata(1), destination: DESTINATION };
  const cases: [string, unknown, number, string | RegExp][] = [
    ['destType: 7', { input: [item], destType: 7 }, 404, 'Unknown destination: 7'],
    ['destType: true', { input: [item], destType: true }, 404, 'Unknown destination: true'],
    ['destType: {}', { input: [item], destType: {} }, 400, 'Invalid request: body/destType must be string'],
    ['destType: ["ometria"]', { input: [item], destType: ['ometria'] }, 400, 'Invalid request: body/destType must be string'],
    ['destType: "nope"', { input: [item], destType: 'nope' }, 404, 'Unknown destination: nope'],
    ['input: 5', { input: 5, destType: 'ometria' }, 400, 'Invalid request: body/input must be array'],
    ['input: "[]"', { input: '[]', destType: 'ometria' }, 400, 'Invalid request: body/input must be array'],
    ['input: {0: item}', { input: { 0: item }, destType: 'ometria' }, 400, 'Invalid request: body/input must be array'],
    ['input: [1]', { input: [1], destType: 'ometria' }, 400, 'Invalid request: body/input/0 must be object'],
    ['input: [null]', { input: [null], destType: 'ometria' }, 400, 'Invalid request: body/input/0 must be object'],
    ['destinations: []', { input: [item], destType: 'ometria', destinations: [] }, 400, /^Invalid request: body\/destinations must be object/],
  ];
  for (const [name, body, status, error] of cases) {
    const res = await post(app, ROUTER, JSON.stringify(body));
    t.equal(res.statusCode, status, name);
    if (typeof error === 'string') t.strictSame(res.json(), { error }, name);
    else t.match((res.json() as Json).error, error, name);
    await assertHealthy(t, app);
  }
  const processor: [string, unknown, RegExp][] = [
    ['input: 5', { input: 5, destinations: {} }, /^Invalid request: .*body\/input must be array/],
    ['[5]', [5], /^Invalid request: body\/0 must be object/],
    ['destinations: "d"', { input: [], destinations: 'd' }, /^Invalid request: .*body\/destinations must be object/],
  ];
  for (const [name, body, error] of processor) {
    const res = await post(app, PROCESSOR, JSON.stringify(body));
    t.equal(res.statusCode, 400, `processor ${name}`);
    t.match((res.json() as Json).error, error);
  }
  await assertHealthy(t, app);
});
