/**
 * Huge values: a 5 MB string, a 1 MiB traits object of many keys, numbers past double range.
 * A record over Ometria's 61440-byte limit is a 400 "Record is too large…" for that event only;
 * huge values in fields that are dropped anyway are simply handled. Quickly, and never a crash.
 */
import t from 'tap';
import { testApp } from '../helpers/app.js';
import { customEventMessage, identifyMessage, orderMessage, processorMetadata, routerMetadata } from '../helpers/envelopes.js';
import { assertHealthy, DESTINATION, IDENTIFY_RECORD, onlyItem, post, PROCESSOR, processorText, recordsOf, ROUTER, type Json } from './helpers.js';

const FIVE_MB = 5 * 1024 * 1024;
const tooLarge = (record: Json) =>
  `Record is too large for Ometria (${Buffer.byteLength(JSON.stringify(record))} bytes, limit 61440)`;

t.test('a 5 MB trait value makes that event a 400 "Record is too large", not its neighbours', async (t) => {
  const app = await testApp(t);
  const bio = 'x'.repeat(FIVE_MB);
  const body = JSON.stringify([
    { message: identifyMessage(1, { bio }), metadata: processorMetadata(1), destination: DESTINATION },
    { message: identifyMessage(2), metadata: processorMetadata(2), destination: DESTINATION },
  ]);
  const started = Date.now();
  const res = await post(app, PROCESSOR, body);
  t.equal(res.statusCode, 200);
  const [big, small] = res.json() as Json[];
  t.equal(big?.statusCode, 400);
  t.equal(big?.error, tooLarge({ ...IDENTIFY_RECORD, properties: { bio } }));
  t.equal(big?.statTags?.errorType, 'instrumentation');
  t.strictSame(big?.metadata, processorMetadata(1), 'metadata echoed');
  t.equal(small?.statusCode, 200, 'the other event is unaffected');
  t.ok(Date.now() - started < 5000, `answered in ${Date.now() - started} ms`);
  await assertHealthy(t, app);
});

t.test('5 MB strings in other places: too large when copied, handled when dropped', async (t) => {
  const app = await testApp(t);
  const huge = 'y'.repeat(FIVE_MB);
  // Copied into the record: the event is too large.
  const eventName = onlyItem(t, await post(app, PROCESSOR, processorText(JSON.stringify({ ...customEventMessage(1), event: huge }))));
  t.equal(eventName.statusCode, 400, 'a 5 MB event name');
  t.match(eventName.error, /^Record is too large for Ometria \(\d+ bytes, limit 61440\)$/);
  const product = onlyItem(
    t,
    await post(app, PROCESSOR, processorText(JSON.stringify(orderMessage(1, { products: [{ product_id: 'p1', quantity: 1, unit_price: 1, sku: huge }] })))),
  );
  t.equal(product.statusCode, 400, 'a 5 MB product sku');
  t.match(product.error, /^Record is too large for Ometria/);
  // Read and found invalid, so dropped: the event goes through without it.
  const phone = onlyItem(t, await post(app, `${PROCESSOR}?explain=true`, processorText(JSON.stringify(identifyMessage(1, { phone: `+44${'7'.repeat(FIVE_MB)}` })))));
  t.equal(phone.statusCode, 200, 'a 5 MB phone number is invalid and dropped');
  t.strictSame(recordsOf(phone), [IDENTIFY_RECORD]);
  t.ok((phone.warnings as string[]).some((w) => w.startsWith('traits.phone: ')), 'with a warning');
  const date = onlyItem(t, await post(app, PROCESSOR, processorText(JSON.stringify(identifyMessage(1, { createdAt: `2024-01-01T00:00:00${'9'.repeat(FIVE_MB)}` })))));
  t.equal(date.statusCode, 200, 'a 5 MB timestamp is invalid and dropped');
  t.strictSame(recordsOf(date), [IDENTIFY_RECORD]);
  // A 5 MB type is not a supported type (the text names it: a long but clear error).
  const type = onlyItem(t, await post(app, PROCESSOR, processorText(JSON.stringify({ ...identifyMessage(1), type: huge }))));
  t.equal(type.statusCode, 400);
  t.equal(type.error, `message type ${huge} is not supported: Ometria takes identify and track`);
  await assertHealthy(t, app);
});

t.test('a 1 MiB traits object of many keys is handled quickly', async (t) => {
  const app = await testApp(t);
  const traits: Record<string, string> = {};
  let size = 0;
  for (let i = 0; size < 1024 * 1024; i++) {
    traits[`trait_${i}`] = `value ${i}`;
    size += `"trait_${i}":"value ${i}",`.length;
  }
  const keys = Object.keys(traits).length;
  t.ok(keys > 30_000, `${keys} keys`);
  const started = Date.now();
  for (const [url, body] of [
    [PROCESSOR, JSON.stringify([{ message: identifyMessage(1, traits), metadata: processorMetadata(1), destination: DESTINATION }])],
    [ROUTER, JSON.stringify({ input: [{ message: identifyMessage(1, traits), metadata: routerMetadata(1), destination: DESTINATION }], destType: 'ometria' })],
  ] as const) {
    const res = await post(app, url, body);
    t.equal(res.statusCode, 200, url);
    const json = res.json() as Json;
    const item = (Array.isArray(json) ? json[0] : json.output[0]) as Json;
    // Every key is a leftover trait: the contact is far over 60 KB.
    t.equal(item.statusCode, 400);
    t.equal(item.error, tooLarge({ ...IDENTIFY_RECORD, properties: traits }));
    await assertHealthy(t, app);
  }
  const ms = Date.now() - started;
  t.ok(ms < 5000, `both answered in ${ms} ms`);
});

t.test('numbers past double range and huge integers are handled by kind', async (t) => {
  const app = await testApp(t);
  // JSON.parse reads 1e400 as Infinity: not a finite number, so never an identifier or an amount.
  const identify = `{"type":"identify","userId":1e400,"anonymousId":"anon-1","traits":{"email":"a@example.com","listingId":123456789012345678901234567890,"ok":1.7976931348623157e308}}`;
  const item = onlyItem(t, await post(app, `${PROCESSOR}?explain=true`, processorText(identify)));
  t.equal(item.statusCode, 200);
  t.strictSame(recordsOf(item), [
    { '@type': 'contact', id: '1.2345678901234568e+29', email: 'a@example.com', customer_id: 'anon-1', properties: { ok: 1.7976931348623157e308 } },
  ]);
  t.ok((item.warnings as string[]).includes('userId: expected an identifier (a string or number), got a number; skipped'));
  const order = JSON.stringify(orderMessage(1)).replace('"grand_total":10', '"grand_total":1e400');
  const bad = onlyItem(t, await post(app, PROCESSOR, processorText(order)));
  t.equal(bad.statusCode, 400);
  t.equal(bad.error, 'Parameter grand_total must be a number: properties.grand_total is Infinity; send a number or a plain decimal string such as "12.50"');
  await assertHealthy(t, app);
});

t.test('a leftover trait of -1e999 is not sent to Ometria as null', async (t) => {
  // docs/MAPPING.md, "Custom fields", and docs/DIFFERENCES.md, item 17: no null leftovers.
  // JSON.parse reads -1e999 as -Infinity, which JSON.stringify writes as null: the value must be
  // skipped (with a warning), not sent as null.
  const app = await testApp(t);
  const identify = `{"type":"identify","userId":"u-1","traits":{"email":"a@example.com","listingId":"L1","big":-1e999,"plan":"pro"}}`;
  const item = onlyItem(t, await post(app, PROCESSOR, processorText(identify)));
  t.equal(item.statusCode, 200);
  t.strictSame(recordsOf(item), [{ ...IDENTIFY_RECORD, email: 'a@example.com', properties: { plan: 'pro' } }]);
  await assertHealthy(t, app);
});
