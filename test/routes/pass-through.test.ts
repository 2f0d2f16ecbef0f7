import t from 'tap';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { testApp } from '../helpers/app.js';
import { destination, identifyMessage, routerMetadata } from '../helpers/envelopes.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A stand-in for RudderStack's transformer on a loopback port: records requests, answers canned. */
async function fakeUpstream(t: { teardown(fn: () => unknown): void }, features: unknown = { routerTransform: { MARKETO: true }, regulations: ['AM'], supportSourceTransformV1: true, upgradedToSourceTransformV2: true, supportDestTransformCompactedPayloadV1: false }) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/features') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(JSON.stringify(features));
        return;
      }
      res.writeHead(207, { 'content-type': 'application/json', apiversion: '2', 'x-upstream': 'yes' });
      res.end(JSON.stringify({ echoed: req.url, length: body.length }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, seen };
}

t.test('other destinations and unknown routes pass through unchanged; Ometria stays here', async (t) => {
  const upstream = await fakeUpstream(t);
  const app = await testApp(t, { UPSTREAM_TRANSFORMER_URL: upstream.url });
  const processorBody = `[{"message":{"type":"track","event":"x","__proto__":{"kept":true}},"metadata":{"jobId":1},"destination":{"Config":{}}}]`;
  const cases = [
    { method: 'POST' as const, url: '/v0/destinations/braze', payload: processorBody, type: 'application/json; charset=utf-8' },
    { method: 'POST' as const, url: '/routerTransform', payload: '{"destType":"BRAZE","input":[{"message":{},"metadata":{"jobId":2}}]}', type: 'application/json' },
    { method: 'POST' as const, url: '/batch', payload: '{"destType":"am","input":[]}', type: 'application/json' },
    { method: 'POST' as const, url: '/v1/destinations/braze/proxy', payload: '{"endpoint":"https://braze.example","metadata":[{"jobId":3}]}', type: 'application/json' },
    // The regulation worker's job for another destination (drop-in mode).
    { method: 'POST' as const, url: '/deleteUsers', payload: '[{"jobId":"9","destType":"BRAZE","config":{"k":1},"userAttributes":[{"userId":"u1","email":"a@example.com"}]}]', type: 'application/json' },
    { method: 'POST' as const, url: '/customTransform?x=1', payload: 'a=1&b=2', type: 'application/x-www-form-urlencoded' },
    { method: 'GET' as const, url: '/transformerBuildVersion', payload: undefined, type: undefined },
  ];
  for (const c of cases) {
    const res = await app.inject({
      method: c.method,
      url: c.url,
      headers: { ...(c.type === undefined ? {} : { 'content-type': c.type }), 'x-feature-gzip-support': '?1' },
      ...(c.payload === undefined ? {} : { payload: c.payload }),
    });
    t.equal(res.statusCode, 207, `${c.url}: the upstream's status`);
    t.equal(res.headers['x-upstream'], 'yes', `${c.url}: the upstream's headers`);
    t.strictSame(res.json(), { echoed: c.url, length: c.payload?.length ?? 0 });
    const got = upstream.seen.at(-1) as Seen;
    t.equal(got.url, c.url);
    t.equal(got.body, c.payload ?? '', `${c.url}: body passed byte for byte`);
    t.equal(got.headers['x-feature-gzip-support'], '?1', 'request headers passed');
  }
  const ours = await app.inject({
    method: 'POST',
    url: '/routerTransform',
    payload: { destType: 'ometria', input: [{ message: identifyMessage(1), metadata: routerMetadata(1), destination: destination('d', { apiKey: 'k' }) }] },
  });
  t.equal(ours.statusCode, 200);
  t.equal(ours.headers['x-upstream'], undefined, 'Ometria is served here');
  t.equal(upstream.seen.length, cases.length, 'nothing else went upstream');
});

t.test('a gzip body is passed on decoded, without its encoding header', async (t) => {
  const upstream = await fakeUpstream(t);
  const app = await testApp(t, { UPSTREAM_TRANSFORMER_URL: upstream.url });
  const body = '[{"message":{},"destination":{"Config":{}}}]';
  await app.inject({
    method: 'POST',
    url: '/v0/destinations/braze',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    payload: gzipSync(body),
  });
  const got = upstream.seen.at(-1) as Seen;
  t.equal(got.body, body);
  t.equal(got.headers['content-encoding'], undefined);
});

t.test('/features merges OMETRIA into the upstream’s', async (t) => {
  const upstream = await fakeUpstream(t);
  const app = await testApp(t, { UPSTREAM_TRANSFORMER_URL: upstream.url });
  const res = await app.inject({ method: 'GET', url: '/features' });
  t.equal(res.statusCode, 200);
  t.strictSame(res.json(), {
    routerTransform: { MARKETO: true, OMETRIA: true },
    regulations: ['AM', 'OMETRIA'],
    supportSourceTransformV1: true,
    upgradedToSourceTransformV2: true,
    supportDestTransformCompactedPayloadV1: false,
  });
});

t.test('without an upstream other destinations are 404; with a dead one, 502', async (t) => {
  const alone = await testApp(t);
  const res = await alone.inject({ method: 'POST', url: '/v0/destinations/braze', payload: [] });
  t.equal(res.statusCode, 404);
  t.strictSame(res.json(), { error: 'Unknown destination: braze' });
  const dead = await testApp(t, { UPSTREAM_TRANSFORMER_URL: 'http://127.0.0.1:1' });
  const forwarded = await dead.inject({ method: 'POST', url: '/v0/destinations/braze', payload: [] });
  t.equal(forwarded.statusCode, 502);
  t.match(forwarded.json().error, /^Upstream transformer did not answer \(ECONNREFUSED\)$/);
  const features = await dead.inject({ method: 'GET', url: '/features' });
  t.equal(features.statusCode, 502, 'RudderStack keeps its current features on a non-200');
});
