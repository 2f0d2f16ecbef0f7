import t from 'tap';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { testApp } from '../helpers/app.js';
import { destination, identifyMessage, processorMetadata, routerMetadata } from '../helpers/envelopes.js';

type Json = Record<string, any>;
const processorBody = JSON.stringify([
  { message: identifyMessage(1), metadata: processorMetadata(1), destination: destination('dest-1', { apiKey: 'k' }) },
]);

t.test('gzip, deflate and br request bodies are decoded', async (t) => {
  const app = await testApp(t);
  const encoders = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };
  for (const [encoding, encode] of Object.entries(encoders)) {
    const res = await app.inject({
      method: 'POST',
      url: '/v0/destinations/ometria',
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-encoding': encoding },
      payload: encode(Buffer.from(processorBody)),
    });
    t.equal(res.statusCode, 200, encoding);
    t.equal((res.json() as Json[])[0]?.statusCode, 200, `${encoding}: event transformed`);
  }
  const router = await app.inject({
    method: 'POST',
    url: '/routerTransform',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    payload: gzipSync(
      JSON.stringify({
        input: [{ message: identifyMessage(1), metadata: routerMetadata(1), destination: destination('dest-1', { apiKey: 'k' }) }],
        destType: 'ometria',
      }),
    ),
  });
  t.equal(router.statusCode, 200);
  t.equal((router.json() as { output: Json[] }).output[0]?.statusCode, 200);
});

t.test('an unsupported or broken encoding is refused clearly', async (t) => {
  const app = await testApp(t);
  const zstd = await app.inject({
    method: 'POST',
    url: '/v0/destinations/ometria',
    headers: { 'content-type': 'application/json', 'content-encoding': 'zstd' },
    payload: processorBody,
  });
  t.equal(zstd.statusCode, 415);
  t.strictSame(zstd.json(), { error: 'Unsupported Content-Encoding: zstd' });
  const broken = await app.inject({
    method: 'POST',
    url: '/v0/destinations/ometria',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    payload: 'not gzip at all',
  });
  t.equal(broken.statusCode, 400);
  t.match(broken.json().error, /^Body could not be decoded: /);
});

t.test('non-JSON and truncated JSON are 400 with a clear message', async (t) => {
  const app = await testApp(t);
  for (const payload of ['this is not json', processorBody.slice(0, 40)]) {
    const res = await app.inject({
      method: 'POST',
      url: '/v0/destinations/ometria',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    t.equal(res.statusCode, 400);
    t.match(res.json().error, /^Body is not valid JSON: /);
  }
});

t.test('JSON that is not the envelope is a 400 naming what is wrong', async (t) => {
  const app = await testApp(t);
  const cases: [string, unknown, RegExp][] = [
    ['/v0/destinations/ometria', 'a string', /body must be array/],
    ['/v0/destinations/ometria', [1, 2], /body\/0 must be object/],
    ['/routerTransform', { input: 'x', destType: 'ometria' }, /body\/input must be array/],
  ];
  for (const [url, body, pattern] of cases) {
    const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    t.equal(res.statusCode, 400, url);
    t.match(res.json().error, pattern);
  }
});

t.test('a body over BODY_LIMIT is 413, also when it only grows past it once decoded', async (t) => {
  const app = await testApp(t, { BODY_LIMIT: '4096' });
  const big = JSON.stringify([{ message: identifyMessage(1, { bio: 'x'.repeat(5000) }), destination: { Config: { apiKey: 'k' } } }]);
  const plain = await app.inject({ method: 'POST', url: '/v0/destinations/ometria', headers: { 'content-type': 'application/json' }, payload: big });
  t.equal(plain.statusCode, 413);
  t.strictSame(plain.json(), { error: 'Body is larger than the limit of 4096 bytes' });
  const bomb = gzipSync(Buffer.from(big));
  t.ok(bomb.length < 4096, 'compressed it fits');
  const zipped = await app.inject({
    method: 'POST',
    url: '/v0/destinations/ometria',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    payload: bomb,
  });
  t.equal(zipped.statusCode, 413);
});

t.test('a content type that is not JSON is 415', async (t) => {
  const app = await testApp(t);
  const res = await app.inject({
    method: 'POST',
    url: '/v0/destinations/ometria',
    headers: { 'content-type': 'text/csv' },
    payload: processorBody,
  });
  t.equal(res.statusCode, 415);
  t.match(res.json().error, /Unsupported Content-Type "text\/csv"/);
  const vendor = await app.inject({
    method: 'POST',
    url: '/v0/destinations/ometria',
    headers: { 'content-type': 'application/vnd.api+json' },
    payload: processorBody,
  });
  t.equal(vendor.statusCode, 200, '+json media types are JSON');
});

t.test('__proto__ keys are processed normally and pollute nothing', async (t) => {
  const app = await testApp(t);
  const payload = `[{"message":{"type":"identify","userId":"u-1","traits":{"email":"a@example.com","listingId":"L1","__proto__":{"polluted":true},"nested":{"constructor":{"prototype":{"polluted":true}},"ok":1}}},"metadata":{"jobId":1,"__proto__":{"x":1}},"destination":{"Config":{"apiKey":"k"}}}]`;
  const res = await app.inject({ method: 'POST', url: '/v0/destinations/ometria', headers: { 'content-type': 'application/json' }, payload });
  t.equal(res.statusCode, 200);
  const [only] = res.json() as Json[];
  t.equal(only?.statusCode, 200);
  t.strictSame(JSON.parse(only?.output.body.JSON_ARRAY.batch), [
    { '@type': 'contact', id: 'L1', email: 'a@example.com', customer_id: 'u-1', properties: { nested: { ok: 1 } } },
  ]);
  t.equal(({} as Json).polluted, undefined, 'Object.prototype untouched');
});

t.test('apiVersion: 2 on every 200 of the transform routes, never on errors', async (t) => {
  const app = await testApp(t);
  const ok = [
    await app.inject({ method: 'POST', url: '/v0/destinations/ometria', payload: [] }),
    await app.inject({ method: 'POST', url: '/routerTransform', payload: { input: [], destType: 'ometria' } }),
    await app.inject({ method: 'POST', url: '/batch', payload: { input: [], destType: 'ometria' } }),
  ];
  for (const res of ok) t.equal(res.headers.apiversion, '2');
  const bad = await app.inject({ method: 'POST', url: '/routerTransform', payload: { input: 3, destType: 'ometria' } });
  t.equal(bad.statusCode, 400);
  t.equal(bad.headers.apiversion, undefined);
});

t.test('unknown routes are a JSON 404', async (t) => {
  const app = await testApp(t);
  const res = await app.inject({ method: 'GET', url: '/routerTransform?x=1' });
  t.equal(res.statusCode, 404);
  t.strictSame(res.json(), { error: 'Route GET /routerTransform not found' });
});

t.test('errors raised before routing answer in the same {"error"} shape', async (t) => {
  const app = await testApp(t);
  const badEncoding = await app.inject({ method: 'POST', url: '/v0/destinations/%E0%A4%A', payload: [] });
  t.equal(badEncoding.statusCode, 400);
  t.match(badEncoding.json(), { error: /is not a valid url component/ });
  const tooLong = await app.inject({ method: 'POST', url: `/v0/destinations/${'x'.repeat(200)}`, payload: [] });
  t.equal(tooLong.statusCode, 414);
  t.strictSame(Object.keys(tooLong.json()), ['error']);
  const plain = await app.inject({ method: 'POST', url: '/routerTransform', headers: { 'content-type': 'text/plain' }, payload: '{}' });
  t.equal(plain.statusCode, 415, 'text/plain is not read as JSON');
});
