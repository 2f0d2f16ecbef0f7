/**
 * `__proto__`, `constructor` and `prototype` keys anywhere in a request: at the top of the body,
 * in items, metadata, destinations, traits, nested properties, products. Requests are processed
 * normally, the keys never reach a record, and no prototype is polluted (docs/MAPPING.md, "Kinds"
 * and "Custom fields"; docs/DIFFERENCES.md, item 16).
 */
import t, { type Test } from 'tap';
import { testApp } from '../helpers/app.js';
import { processorMetadata, routerMetadata } from '../helpers/envelopes.js';
import { assertNoPollution, forbiddenKeyPath, prototypeSnapshot } from '../properties/oracle.js';
import { assertHealthy, DESTINATION, onlyItem, post, PROCESSOR, recordsOf, ROUTER, type Json } from './helpers.js';

const before = prototypeSnapshot();

// Every way of writing the three keys that JSON allows, each carrying a would-be pollutant.
const PROTO = '"__proto__":{"polluted":"yes","isAdmin":true}';
const PROTO_ESCAPED = '"\\u005f_proto__":{"polluted":"yes"}';
const CONSTRUCTOR = '"constructor":{"prototype":{"polluted":"yes","isAdmin":true}}';
const CONSTRUCTOR_PLAIN = '"constructor":"plain"';
const PROTOTYPE = '"prototype":{"polluted":"yes"}';
const ALL = [PROTO, PROTO_ESCAPED, CONSTRUCTOR, PROTOTYPE].join(',');

const identify = `{${ALL},"type":"identify","userId":"u-1","context":{${ALL},"traits":{${ALL},"plan":"pro","nested":{${ALL},"ok":1,"list":[{${ALL},"x":1}]}}},"integrations":{${PROTO},"Ometria":{${ALL},"listingId":"L1"}},"traits":{${ALL},"email":"a@example.com","custom_fields":{${ALL},"tier":"gold","deeper":{${CONSTRUCTOR_PLAIN},"y":2}}}}`;
const order = `{${ALL},"type":"track","event":"Order Completed","userId":"u-1","timestamp":"2024-03-01T12:34:56Z","context":{"traits":{${PROTO},"email":"a@example.com"}},"properties":{${ALL},"order_id":"o-1","grand_total":10,"currency":"GBP","shipping_address":{${ALL},"city":"London"},"extra":{${ALL},"k":"v"},"products":[{${ALL},"product_id":"p1","quantity":1,"unit_price":10,"totals":{${ALL},"t":1},"properties":{${ALL},"colour":"red"},"variant_options":[{${ALL},"id":"v1","type":"size","label":"M"}]}]}}`;
const custom = `{${ALL},"type":"track","event":"Signed Up","messageId":"m-1","userId":"u-1","timestamp":"2024-03-01T12:34:56Z","traits":{"email":"a@example.com"},"properties":{${ALL},"plan":"pro","nested":{${ALL},"a":[{${PROTO},"b":1}]}}}`;

const expectedContact = {
  '@type': 'contact',
  id: 'L1',
  email: 'a@example.com',
  customer_id: 'u-1',
  properties: { tier: 'gold', deeper: { y: 2 } },
};
const expectedOrder = {
  '@type': 'order',
  status: 'complete',
  is_valid: true,
  id: 'o-1',
  timestamp: '2024-03-01T12:34:56Z',
  grand_total: 10,
  currency: 'GBP',
  shipping_address: { city: 'London' },
  properties: { extra: { k: 'v' } },
  lineitems: [
    { product_id: 'p1', quantity: 1, unit_price: 10, totals: { t: 1 }, properties: { colour: 'red' }, variant_options: [{ id: 'v1', type: 'size', label: 'M' }] },
  ],
  customer: { id: 'u-1', email: 'a@example.com' },
};
const expectedCustom = {
  '@type': 'custom_event',
  id: 'm-1',
  event_type: 'signed up',
  timestamp: '2024-03-01T12:34:56Z',
  identity_email: 'a@example.com',
  identity_account_id: 'u-1',
  properties: { plan: 'pro', nested: { a: [{ b: 1 }] } },
};

const metadataWithKeys = (jobId: number, meta: Json) => JSON.stringify(meta).replace(`"jobId":${jobId}`, `"jobId":${jobId},${ALL},${CONSTRUCTOR_PLAIN.replace('constructor', 'x')}`);
const destinationWithKeys = JSON.stringify(DESTINATION).replace('"apiKey":"key-1"', `${PROTO},${PROTOTYPE},"apiKey":"key-1"`).replace('"ID":', `${CONSTRUCTOR},"ID":`);

function assertClean(t: Test, records: Json[], batchText: string): void {
  for (const record of records) t.equal(forbiddenKeyPath(record), undefined, `${String(record['@type'])}: no forbidden key at any depth`);
  t.notMatch(batchText, /__proto__|"constructor"|"prototype"|polluted/, 'nothing of the hostile keys in the wire text');
}

t.test('processor: the keys everywhere, events processed normally, nothing copied', async (t) => {
  const app = await testApp(t);
  const body = `[${[identify, order, custom]
    .map((m, i) => `{${ALL},"message":${m},"metadata":${metadataWithKeys(i + 1, processorMetadata(i + 1))},"destination":${destinationWithKeys}}`)
    .join(',')}]`;
  const res = await post(app, PROCESSOR, body);
  t.equal(res.statusCode, 200);
  const items = res.json() as Json[];
  t.strictSame(
    items.map((i) => i.statusCode),
    [200, 200, 200],
  );
  t.strictSame(items.map(recordsOf), [[expectedContact], [expectedOrder], [expectedCustom]]);
  // The edge drops __proto__ and constructor-with-prototype; the rest of the metadata is echoed.
  t.strictSame(items[0]?.metadata, { ...processorMetadata(1), prototype: { polluted: 'yes' }, x: 'plain' });
  t.equal(items[0]?.output.headers['X-Ometria-Auth'], 'key-1');
  for (const item of items) assertClean(t, recordsOf(item), item.output.body.JSON_ARRAY.batch as string);
  await assertHealthy(t, app);
});

t.test('router and compacted bodies with the keys at the top level and in the destinations map', async (t) => {
  const app = await testApp(t);
  const input = [identify, order, custom].map((m, i) => `{${ALL},"message":${m},"metadata":${metadataWithKeys(i + 1, routerMetadata(i + 1))},"destination":${destinationWithKeys}}`);
  const plain = await post(app, ROUTER, `{${ALL},"input":[${input.join(',')}],"destType":"ometria"}`);
  t.equal(plain.statusCode, 200);
  const { output } = plain.json() as { output: Json[] };
  t.strictSame(
    output.map((o) => [o.statusCode, o.metadata.map((m: Json) => m.jobId)]),
    [
      [200, [1]],
      [200, [2]],
      [200, [3]],
    ],
  );
  t.strictSame(output.map(recordsOf), [[expectedContact], [expectedOrder], [expectedCustom]]);
  for (const item of output) assertClean(t, recordsOf(item), item.batchedRequest.body.JSON_ARRAY.batch as string);
  await assertHealthy(t, app);

  // Compacted: destinations map with hostile keys beside the real one, and as destination ids.
  const compactInput = [identify, custom].map((m, i) => `{"message":${m},"metadata":{"jobId":${i + 1},"destinationId":"dest-1"}}`);
  compactInput.push(`{"message":${identify},"metadata":{"jobId":3,"destinationId":"__proto__"}}`);
  compactInput.push(`{"message":${identify},"metadata":{"jobId":4,"destinationId":"constructor"}}`);
  compactInput.push(`{"message":${identify},"metadata":{"jobId":5,"destinationId":"hasOwnProperty"}}`);
  const compacted = await post(
    app,
    ROUTER,
    `{${ALL},"input":[${compactInput.join(',')}],"destType":"ometria","destinations":{${PROTO},${CONSTRUCTOR},"dest-1":${destinationWithKeys}},"connections":{${PROTO}}}`,
    { 'content-type': 'application/json', 'x-content-format': 'json+compactedv1' },
  );
  t.equal(compacted.statusCode, 200);
  const items = (compacted.json() as { output: Json[] }).output;
  const seen = items.flatMap((o) => (o.metadata as Json[]).map((m) => m.jobId as number));
  t.strictSame(seen.sort(), [1, 2, 3, 4, 5], 'every jobId exactly once');
  const byJob = new Map<number, Json>(items.flatMap((o) => (o.metadata as Json[]).map((m) => [m.jobId as number, o] as [number, Json])));
  t.equal(byJob.get(1)?.statusCode, 200);
  t.equal(byJob.get(2)?.statusCode, 200);
  for (const id of [3, 4, 5]) {
    const item = byJob.get(id) as Json;
    t.equal(item.statusCode, 400, `job ${id}: no destination under a prototype key`);
    t.match(item.error, /^no destination found for id (__proto__|constructor|hasOwnProperty)$/);
  }
  await assertHealthy(t, app);
});

t.test('keys that only look like prototype keys are ordinary data', async (t) => {
  const app = await testApp(t);
  const message = `{"type":"identify","userId":"u-1","traits":{"email":"a@example.com","listingId":"L1","__proto":"1","proto__":"2","Constructor":"3","PROTOTYPE":"4","__PROTO__":"5","hasOwnProperty":"6","toString":"7","valueOf":{"x":1}}}`;
  const item = onlyItem(t, await post(app, PROCESSOR, `[{"message":${message},"metadata":{"jobId":1},"destination":${JSON.stringify(DESTINATION)}}]`));
  t.equal(item.statusCode, 200);
  t.strictSame(recordsOf(item)[0]?.properties, {
    __proto: '1',
    proto__: '2',
    Constructor: '3',
    PROTOTYPE: '4',
    __PROTO__: '5',
    hasOwnProperty: '6',
    toString: '7',
    valueOf: { x: 1 },
  });
  await assertHealthy(t, app);
});

t.test('no prototype was polluted', async (t) => {
  assertNoPollution(t, before);
});
