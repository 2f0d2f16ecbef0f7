import t from 'tap';
import { MockAgent } from 'undici';
import { loadConfig } from '../../src/config.js';
import { createHttpDeliveryClient } from '../../src/http/http-delivery-client-settings.js';
import { jsonBody, testApp } from '../helpers/app.js';
import { deliveryEnv, mixedEvents, mockStats, storedIds } from '../helpers/delivery.js';
import { withMock } from '../helpers/mock-client.js';
import { destination, identifyMessage, routerMetadata } from '../helpers/envelopes.js';

type Entry = { metadata: { jobId: number }; statusCode: number; error?: string };

t.test('1,000 events through /deliver while the mock fails 30% of pushes: each valid record stored once, all accounted', async (t) => {
  const mock = await withMock(t, { faults: { failRate: 0.15, throttleRate: 0.1, retryAfterSeconds: 0, dropRate: 0.05, seed: 7 } });
  const app = await testApp(t, deliveryEnv(mock.url));
  const { input, expected, invalid } = mixedEvents(1000);
  const res = await app.inject({ method: 'POST', url: '/deliver', payload: { input, destType: 'ometria' } });
  t.equal(res.statusCode, 200);
  const output = (res.json() as { output: Entry[] }).output;
  t.equal(output.length, 1000, 'one entry per event');
  t.strictSame(output.map((e) => e.metadata.jobId), input.map((e) => e.metadata.jobId), 'in input order');
  const failedValid = output.filter((e) => !invalid.has(e.metadata.jobId) && e.statusCode !== 200);
  t.strictSame(failedValid, [], 'every valid event delivered');
  t.strictSame(
    output.filter((e) => invalid.has(e.metadata.jobId)).map((e) => ({ jobId: e.metadata.jobId, statusCode: e.statusCode, missing: /Missing required value/.test(e.error ?? '') })),
    [...invalid].map((jobId) => ({ jobId, statusCode: 400, missing: true })),
    'every invalid event reported with its 400',
  );
  for (const type of ['contact', 'custom_event', 'order'] as const) {
    t.strictSame(await storedIds(mock, type), [...expected[type]].sort(), `${type}: every id stored, once`);
  }
  const stats = await mockStats(mock);
  t.ok(stats.pushes > 12, `faults were hit and retried (${stats.pushes} pushes for 12 batches)`);
  t.ok((stats.responses['500'] ?? 0) > 0 && (stats.responses['429'] ?? 0) > 0, 'both 500s and 429s were answered');
});

t.test('outcomes per event: 403 refused key, 429 and 5xx after the retries', async (t) => {
  const cases: [string, Record<string, unknown>, string[] | undefined, number, RegExp][] = [
    ['wrong key', {}, ['the-right-key'], 403, /^Ometria refused the API key \(HTTP 403\)$/],
    ['always throttled', { throttleRate: 1 }, undefined, 429, /throttled the push \(HTTP 429, 3 attempts\)/],
    ['always failing', { failRate: 1 }, undefined, 500, /Ometria failed \(HTTP 500, 3 attempts\)/],
    ['connections dropped', { dropRate: 1 }, undefined, 500, /Could not reach Ometria: ECONNRESET/],
  ];
  for (const [name, faults, keys, status, error] of cases) {
    const mock = await withMock(t, keys === undefined ? { faults } : { faults, apiKeys: keys });
    const app = await testApp(t, deliveryEnv(mock.url, { OMETRIA_MAX_ATTEMPTS: '3' }));
    const input = [1, 2].map((n) => ({ message: identifyMessage(n), metadata: routerMetadata(n), destination: destination('d', { apiKey: 'key-1' }) }));
    const res = await app.inject({ method: 'POST', url: '/deliver', payload: { input, destType: 'ometria' } });
    const output = jsonBody<{ output: Entry[] }>(res).output;
    t.strictSame(output.map((e) => e.statusCode), [status, status], name);
    t.match(output[0]?.error, error, name);
    t.notMatch(output[0]?.error, /key-1/, 'the API key never appears');
  }
});

t.test('a push answered 2xx with rejected records: the rejected one is found and reported, its neighbour delivered', async (t) => {
  const agent = new MockAgent();
  agent.disableNetConnect();
  t.teardown(() => agent.close());
  const pool = agent.get('https://api.ometria.com');
  const answer = (id: string, accepted: number, rejected: number) => ({ status: 'OK', request_id: id, accepted, rejected });
  pool.intercept({ path: '/v2/push', method: 'POST' }).reply(202, answer('req-42', 1, 1));
  // The halves: the first record alone is accepted, so the second is the rejected one; the first
  // push rejected only it, so the error Ometria lists for that push is its own.
  pool.intercept({ path: '/v2/push', method: 'POST' }).reply(202, answer('req-43', 1, 0));
  pool
    .intercept({ path: '/v2/push/_errors?request_id=req-42', method: 'GET' })
    .reply(200, [{ error_message: 'Invalid value', error_path: 'root > lastname', request_id: 'req-42' }]);
  const ometriaClient = createHttpDeliveryClient(loadConfig({}), { dispatcher: agent });
  const app = await testApp(t, {}, { clients: new Map([['OMETRIA', ometriaClient]]) });
  const input = [1, 2].map((n) => ({ message: identifyMessage(n), metadata: routerMetadata(n), destination: destination('d', { apiKey: 'k' }) }));
  const res = await app.inject({ method: 'POST', url: '/deliver', payload: { input, destType: 'ometria' } });
  t.strictSame(jsonBody<{ output: Entry[] }>(res).output, [
    { metadata: routerMetadata(1), statusCode: 200 },
    {
      metadata: routerMetadata(2),
      statusCode: 400,
      error: 'Ometria rejected this record (request_id req-42, 1 accepted, 1 rejected): Invalid value (at root > lastname)',
    },
  ]);
});

t.test('/deliver with an unknown destination is 404; compacted bodies work', async (t) => {
  const mock = await withMock(t);
  const app = await testApp(t, deliveryEnv(mock.url));
  const unknown = await app.inject({ method: 'POST', url: '/deliver', payload: { input: [], destType: 'nope' } });
  t.equal(unknown.statusCode, 404);
  const res = await app.inject({
    method: 'POST',
    url: '/deliver',
    headers: { 'x-content-format': 'json+compactedv1' },
    payload: {
      destType: 'ometria',
      input: [{ message: identifyMessage(1), metadata: routerMetadata(1, 'dest-1') }],
      destinations: { 'dest-1': destination('dest-1', { apiKey: 'k' }) },
    },
  });
  t.strictSame(jsonBody<{ output: Entry[] }>(res).output.map((e) => e.statusCode), [200]);
  t.strictSame(await storedIds(mock, 'contact'), ['L1']);
});
