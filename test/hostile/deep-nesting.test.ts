/**
 * JSON nested 10,000 levels deep. Inside a message the deep value is skipped with a warning and
 * the event is handled (200); inside metadata or a destination — which are echoed back and could
 * not be written out — the request is a 400 naming the field. Never a stack overflow or a 500.
 */
import t from 'tap';
import { testApp, memoryLogger } from '../helpers/app.js';
import { identifyMessage, orderMessage, processorMetadata, routerMetadata } from '../helpers/envelopes.js';
import {
  assertHealthy,
  DESTINATION,
  IDENTIFY,
  IDENTIFY_RECORD,
  onlyItem,
  post,
  PROCESSOR,
  processorText,
  recordsOf,
  ROUTER,
  routerText,
  type Json,
} from './helpers.js';

const LEVELS = 10_000;
const deepObject = `${'{"a":'.repeat(LEVELS)}1${'}'.repeat(LEVELS)}`;
const deepArray = `${'['.repeat(LEVELS)}1${']'.repeat(LEVELS)}`;
const TOO_DEEP = 'nested deeper than 64 levels; skipped';

/** The identify message with `"<key>": <deep>` spliced in at `path` (an object of the message). */
function identifyWith(path: 'traits' | 'context.traits' | 'message' | 'integrations.Ometria', key: string, deep: string): string {
  const message = identifyMessage(1) as Json;
  message.context = { traits: { plan: 'pro' } };
  message.integrations = { Ometria: { allowMarketing: true } };
  const marker = '"__DEEP__"';
  const target = path === 'message' ? message : path.split('.').reduce<Json>((o, k) => o[k] as Json, message);
  target[key] = '__DEEP__';
  return JSON.stringify(message).replace(marker, deep);
}

t.test('a 10,000-level value inside a message is skipped with a warning; the event is a 200', async (t) => {
  const { logger, lines } = memoryLogger('warn');
  const app = await testApp(t, {}, { logger });
  // What identifyWith() gives without the deep value: context.traits.plan is a leftover trait.
  const expected = { ...IDENTIFY_RECORD, properties: { plan: 'pro' }, channels: { sms: { allow_marketing: true } } };
  const cases: [string, string, string][] = [
    // [message JSON, warned path, description]
    [identifyWith('traits', 'deep', deepObject), 'traits.deep', 'leftover trait'],
    [identifyWith('traits', 'deep', deepArray), 'traits.deep', 'leftover trait (arrays)'],
    [identifyWith('context.traits', 'deep', deepObject), 'context.traits.deep', 'leftover context trait'],
    [identifyWith('traits', 'custom_fields', deepObject), 'traits.custom_fields', 'custom_fields'],
    [identifyWith('traits', 'storeIds', deepArray), 'traits.storeIds', 'a list field'],
  ];
  for (const [message, path, description] of cases) {
    lines.length = 0;
    const res = await post(app, `${PROCESSOR}?explain=true`, processorText(message));
    const item = onlyItem(t, res);
    t.equal(item.statusCode, 200, `${description}: the event is handled`);
    t.strictSame(recordsOf(item), [expected], `${description}: record without the deep value`);
    t.ok((item.warnings as string[]).includes(`${path}: ${TOO_DEEP}`), `${description}: warning names ${path}`);
    t.ok(
      lines.some((l) => l.level === 40 && l.field === path && l.jobId === 1),
      `${description}: logged at warn with the jobId and field`,
    );
    await assertHealthy(t, app);
  }
});

t.test('a 10,000-level value elsewhere in a message never breaks the event', async (t) => {
  const app = await testApp(t);
  // Unread message keys: nothing reads them, the record is unchanged.
  for (const key of ['deep', 'properties', 'context']) {
    const item = onlyItem(t, await post(app, PROCESSOR, processorText(identifyWith('message', key, deepObject))));
    t.equal(item.statusCode, 200, `message.${key}`);
    t.strictSame(recordsOf(item).map((r) => r.email), ['u1@example.com']);
  }
  // Deep products and properties of an order: products are a list (skipped), leftovers skip the value.
  const order = orderMessage(1) as Json;
  order.properties.products = '__DEEP__';
  order.properties.extra = '__DEEP2__';
  const orderText = JSON.stringify(order).replace('"__DEEP__"', deepArray).replace('"__DEEP2__"', deepObject);
  const res = await post(app, `${PROCESSOR}?explain=true`, processorText(orderText));
  const item = onlyItem(t, res);
  t.equal(item.statusCode, 200, 'deep products and properties');
  const [record] = recordsOf(item);
  t.equal(record?.lineitems, undefined, 'no line items from a skipped products value');
  t.equal(record?.properties, undefined, 'the deep leftover is not copied');
  t.ok((item.warnings as string[]).includes(`properties.products: ${TOO_DEEP}`));
  t.ok((item.warnings as string[]).includes(`properties.extra: ${TOO_DEEP}`));
  // The message itself 10,000 levels deep: not an event at all.
  const whole = onlyItem(t, await post(app, PROCESSOR, processorText(deepArray)));
  t.equal(whole.statusCode, 400);
  t.equal(whole.error, 'Message must be an object: message is an array');
  const deepType = onlyItem(t, await post(app, PROCESSOR, processorText(`{"type":${deepObject}}`)));
  t.equal(deepType.statusCode, 400);
  t.equal(deepType.error, 'Event type is required: type is an object');
  await assertHealthy(t, app);
});

t.test('a 10,000-level value on the router path: the event is batched without it', async (t) => {
  const app = await testApp(t);
  const res = await post(app, `${ROUTER}?explain=true`, routerText(identifyWith('traits', 'deep', deepObject)));
  t.equal(res.statusCode, 200);
  const { output } = res.json() as { output: Json[] };
  t.equal(output.length, 1);
  t.equal(output[0]?.statusCode, 200);
  t.strictSame(output[0]?.metadata, [routerMetadata(1)]);
  t.ok((output[0]?.warnings as string[]).includes(`job 1: traits.deep: ${TOO_DEEP}`));
  await assertHealthy(t, app);
});

t.test('10,000 levels inside metadata or a destination is a 400 naming the field', async (t) => {
  const app = await testApp(t);
  const metadata = JSON.stringify(processorMetadata(1)).replace('"jobId":1', `"jobId":1,"x":${deepObject}`);
  const destination = JSON.stringify(DESTINATION).replace('"apiKey":"key-1"', `"apiKey":"key-1","x":${deepArray}`);
  const cases: [string, string, string][] = [
    [PROCESSOR, processorText(IDENTIFY, metadata), 'body[0].metadata'],
    [PROCESSOR, processorText(IDENTIFY, undefined, destination), 'body[0].destination'],
    [PROCESSOR, processorText(IDENTIFY, deepArray), 'body[0].metadata'],
    [ROUTER, routerText(IDENTIFY, metadata), 'input[0].metadata'],
    [ROUTER, routerText(IDENTIFY, undefined, destination), 'input[0].destination'],
    [
      ROUTER,
      `{"input":[{"message":${IDENTIFY},"metadata":{"jobId":1,"destinationId":"d"}}],"destType":"ometria","destinations":{"d":${destination}}}`,
      'destinations.d',
    ],
    [
      PROCESSOR,
      `{"input":[{"message":${IDENTIFY},"metadata":{"jobId":1,"destinationId":"d"}}],"destinations":{"d":${deepObject}}}`,
      'destinations.d',
    ],
  ];
  for (const [url, body, field] of cases) {
    const res = await post(app, url, body);
    t.equal(res.statusCode, 400, `${url}: ${field}`);
    t.strictSame(res.json(), { error: `Invalid request: ${field} is nested deeper than 64 levels` });
    await assertHealthy(t, app);
  }
});

t.test('deep nesting together with __proto__ keys is still handled', async (t) => {
  const app = await testApp(t);
  const message = identifyWith('traits', 'deep', `{"__proto__":{"polluted":true},"b":${deepObject}}`).replace(
    '"traits":{',
    '"traits":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},',
  );
  const item = onlyItem(t, await post(app, PROCESSOR, processorText(message)));
  t.equal(item.statusCode, 200);
  t.strictSame(recordsOf(item), [{ ...IDENTIFY_RECORD, properties: { plan: 'pro' }, channels: { sms: { allow_marketing: true } } }]);
  t.equal(({} as Json).polluted, undefined, 'no prototype polluted');
  await assertHealthy(t, app);
});

t.test('a dynamic-config template that pulls a 10,000-level message value into Config', async (t) => {
  // docs/RUDDERSTACK.md, "9. Dynamic config": templates resolve against the request item, so
  // `{{ message.traits.deep || … }}` copies a message value into this event's Config, which the
  // router groups by and echoes. The message is the sender's data: this must stay a per-event
  // matter, never a failed request.
  const app = await testApp(t);
  const deepMessage = identifyWith('traits', 'deep', deepObject);
  const configs = [
    ['a templated extra setting', '{"apiKey":"key-1","region":"{{ message.traits.deep || \\"eu\\" }}"}'],
    ['a templated apiKey', '{"apiKey":"{{ message.traits.deep || \\"key-1\\" }}"}'],
  ] as const;
  for (const [what, config] of configs) {
    for (const url of [ROUTER, '/batch']) {
      const hostile = `{"message":${deepMessage},"metadata":${JSON.stringify(routerMetadata(1))},"destination":{"ID":"dest-9","Config":${config}}}`;
      const neighbour = JSON.stringify({ message: identifyMessage(2), metadata: routerMetadata(2), destination: DESTINATION });
      const res = await post(app, url, `{"input":[${hostile},${neighbour}],"destType":"ometria"}`);
      t.equal(res.statusCode, 200, `${url}, ${what}: HTTP 200, not ${res.statusCode} ${res.payload.slice(0, 80)}`);
      if (res.statusCode === 200) {
        const json = res.json() as Json;
        const output = (Array.isArray(json) ? json : json.output) as Json[];
        const jobIds = output.flatMap((o) => (o.metadata as Json[]).map((m) => m.jobId as number)).sort();
        t.strictSame(jobIds, [1, 2], `${url}, ${what}: every jobId once`);
        const neighbourItem = output.find((o) => (o.metadata as Json[]).some((m) => m.jobId === 2));
        t.equal(neighbourItem?.statusCode, 200, `${url}, ${what}: the other event is unaffected`);
        const statuses = output.map((o) => o.statusCode as number);
        t.strictSame(statuses.filter((s) => !(s === 200 || (s >= 400 && s < 500))), [], `${url}, ${what}: statuses are 200 or 4xx`);
      }
      await assertHealthy(t, app);
    }
  }
  // The processor path resolves the same template and stays fine (it echoes no destination).
  const res = await post(app, PROCESSOR, processorText(deepMessage, undefined, `{"ID":"dest-9","Config":${configs[0][1]}}`));
  t.equal(onlyItem(t, res).statusCode, 200, 'processor: the event is transformed');
});
