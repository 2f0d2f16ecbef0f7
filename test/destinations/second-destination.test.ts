import t, { type Test } from 'tap';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { createOmetria } from '../../src/destinations/ometria/definition.js';
import { DestinationRegistry } from '../../src/destinations/registry.js';
import { jsonBody, testApp } from '../helpers/app.js';
import { deliveryEnv, storedIds } from '../helpers/delivery.js';
import { destination, identifyMessage, routerMetadata } from '../helpers/envelopes.js';
import { withMock } from '../helpers/mock-client.js';
import { createAcme } from './test-destination.js';

type Json = Record<string, any>;

/** Acme's push endpoint: takes JSON arrays with the right key, keeps them. */
async function startAcme(t: Test): Promise<{ url: string; pushes: { key: string | undefined; body: unknown }[] }> {
  const pushes: { key: string | undefined; body: unknown }[] = [];
  const mock = Fastify();
  mock.post('/users', async (request, reply) => {
    const key = request.headers['x-acme-key'];
    pushes.push({ key: typeof key === 'string' ? key : undefined, body: request.body });
    if (key !== 'secret') return reply.code(401).send({ error: 'bad key' });
    return reply.code(200).send({ ok: true });
  });
  const url = await mock.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => mock.close());
  return { url, pushes };
}

const acmeDestination = (key = 'secret') => ({ ID: 'acme-1', Config: { key } });
const acmeEvent = (n: number, message: Json = { type: 'identify', userId: `user-${n}`, traits: { email: `u${n}@example.com` } }) => ({
  message,
  metadata: routerMetadata(n, 'acme-1'),
  destination: acmeDestination(),
});

async function apps(t: Test): Promise<{ app: FastifyInstance; acme: Awaited<ReturnType<typeof startAcme>>; ometriaUrl: string }> {
  const acme = await startAcme(t);
  const ometria = await withMock(t);
  // The registry is the only place that names the second destination.
  const registry = new DestinationRegistry([createOmetria({ apiUrl: ometria.url }), createAcme({ url: acme.url })]);
  const app = await testApp(t, deliveryEnv(ometria.url), { registry });
  return { app, acme, ometriaUrl: ometria.url };
}

t.test('a second destination transforms through the same routes', async (t) => {
  const { app, acme } = await apps(t);
  const processed = await app.inject({ method: 'POST', url: '/v0/destinations/acme', payload: [acmeEvent(1), acmeEvent(2, { type: 'identify', traits: {} })] });
  const [ok, missing] = jsonBody<[Json, Json]>(processed);
  t.equal(ok.statusCode, 200);
  t.equal(ok.output.endpoint, `${acme.url}/users`);
  t.strictSame(JSON.parse(ok.output.body.JSON_ARRAY.batch), [{ id: 'user-1', email: 'u1@example.com' }]);
  t.equal(missing.statusCode, 400);
  // The integrations path of an error text is the destination's own.
  t.match(missing.error, /^Acme needs a user id: set userId or integrations\.Acme\.userId \(the user\)/);
  t.equal(missing.statTags.destType, 'ACME');

  const routed = await app.inject({ method: 'POST', url: '/routerTransform', payload: { input: [1, 2, 3].map((n) => acmeEvent(n)), destType: 'acme' } });
  const items = jsonBody<{ output: Json[] }>(routed).output;
  // Its own batch size (2): two batches.
  t.strictSame(items.map((item) => item.metadata.map((m: Json) => m.jobId)), [[1, 2], [3]]);
  t.equal(items[0]?.batchedRequest.endpoint, `${acme.url}/users`);
  t.equal(acme.pushes.length, 0, 'transforming sends nothing');
});

t.test('a second destination delivers through /deliver and the proxy, with its own client and origins', async (t) => {
  const { app, acme, ometriaUrl } = await apps(t);
  const delivered = await app.inject({ method: 'POST', url: '/deliver', payload: { input: [1, 2, 3].map((n) => acmeEvent(n)), destType: 'acme' } });
  t.strictSame(jsonBody<{ output: Json[] }>(delivered).output.map((e) => e.statusCode), [200, 200, 200]);
  t.strictSame(acme.pushes.map((p) => p.body), [[{ id: 'user-1', email: 'u1@example.com' }, { id: 'user-2', email: 'u2@example.com' }], [{ id: 'user-3', email: 'u3@example.com' }]]);

  const refused = await app.inject({ method: 'POST', url: '/deliver', payload: { input: [{ ...acmeEvent(4), destination: acmeDestination('wrong') }], destType: 'acme' } });
  t.strictSame(jsonBody<{ output: Json[] }>(refused).output.map((e) => [e.statusCode, e.error]), [[403, 'Acme refused the key']]);

  const routed = await app.inject({ method: 'POST', url: '/routerTransform', payload: { input: [acmeEvent(5)], destType: 'acme' } });
  const [item] = jsonBody<{ output: Json[] }>(routed).output;
  const proxyBody = (endpoint: string) => ({
    type: 'REST',
    endpoint,
    method: 'POST',
    userId: '',
    headers: item?.batchedRequest.headers,
    params: {},
    body: item?.batchedRequest.body,
    files: {},
    metadata: item?.metadata,
    destinationConfig: { key: 'secret' },
  });
  const before = acme.pushes.length;
  const proxied = await app.inject({ method: 'POST', url: '/v1/destinations/acme/proxy', payload: proxyBody(item?.batchedRequest.endpoint) });
  const answer = jsonBody<Json>(proxied);
  t.equal(answer.output.status, 200);
  t.strictSame(answer.output.response.map((r: Json) => r.statusCode), [200]);
  t.strictSame(acme.pushes.slice(before).map((p) => p.body), [[{ id: 'user-5', email: 'u5@example.com' }]]);

  // Each destination's proxy sends only to its own origins: Ometria's is not Acme's.
  const elsewhere = await app.inject({ method: 'POST', url: '/v1/destinations/acme/proxy', payload: proxyBody(`${ometriaUrl}/v2/push`) });
  t.equal(elsewhere.statusCode, 400);
  t.match(jsonBody<Json>(elsewhere, 400).output.message, /not a configured Acme origin/);
  t.equal(acme.pushes.length, before + 1);
});

t.test('Ometria still works in the same app', async (t) => {
  const acme = await startAcme(t);
  const ometria = await withMock(t);
  const registry = new DestinationRegistry([createOmetria({ apiUrl: ometria.url }), createAcme({ url: acme.url })]);
  const app = await testApp(t, deliveryEnv(ometria.url), { registry });
  const input = [1, 2].map((n) => ({ message: identifyMessage(n), metadata: routerMetadata(n), destination: destination('d', { apiKey: 'key-1' }) }));
  const res = await app.inject({ method: 'POST', url: '/deliver', payload: { input, destType: 'ometria' } });
  t.strictSame(jsonBody<{ output: Json[] }>(res).output.map((e) => e.statusCode), [200, 200]);
  t.strictSame(await storedIds(ometria, 'contact'), ['L1', 'L2']);
  t.equal(acme.pushes.length, 0);
  const features = jsonBody<Json>(await app.inject({ method: 'GET', url: '/features' }));
  t.strictSame(features.routerTransform, { OMETRIA: true, ACME: true });
});

t.test('a destination that declares no erasure is not in /features regulations, and its erasure jobs are 404 (the worker aborts them)', async (t) => {
  const { app } = await apps(t);
  const features = jsonBody<{ regulations: string[] }>(await app.inject({ method: 'GET', url: '/features' }));
  t.strictSame(features.regulations, ['OMETRIA']);
  const res = await app.inject({ method: 'POST', url: '/deleteUsers', payload: [{ jobId: '1', destType: 'acme', config: { key: 'secret' }, userAttributes: [{ userId: 'u1', email: 'a@example.com' }] }] });
  t.equal(res.statusCode, 404);
  t.strictSame(res.json(), [{ statusCode: 404, error: 'Erasing people is not supported for destination acme' }]);
});
