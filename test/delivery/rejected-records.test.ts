/**
 * Rejected records told apart end to end: the service pushes to the mock Ometria on a loopback
 * port, the mock rejects chosen records by rule (ids), and every event's outcome is checked.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { repushBound } from '../../src/core/delivery/isolation.js';
import { createHttpDeliveryClient } from '../../src/http/http-delivery-client-settings.js';
import { mulberry32 } from '../helpers/prng.js';
import type { RunningMockOmetria } from '../../src/mock-ometria/start.js';
import { jsonBody, testApp } from '../helpers/app.js';
import { deliveryEnv, mixedEvents, mockStats, storedIds } from '../helpers/delivery.js';
import { call, withMock } from '../helpers/mock-client.js';
import { destination, identifyMessage, routerMetadata } from '../helpers/envelopes.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { postProxy, proxyRequestBody } from '../helpers/proxy.js';

type Json = Record<string, any>;
type Entry = { metadata: { jobId: number }; statusCode: number; error?: string };

/** n identify events of one destination: contacts with listing ids L1…Ln. */
const contacts = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ message: identifyMessage(i + 1), metadata: routerMetadata(i + 1), destination: destination('dest-r', { apiKey: 'key-r' }) }));

// The push named is the last one that held the record and rejected it alone (counts tell the rest).
const REJECTED = /^Ometria rejected this record \(request_id [0-9a-f-]{36}, \d+ accepted, 1 rejected\): Record rejected by the mock's rejection rule \(id (L\d+)\) \(at root > id\)$/;

async function deliver(app: FastifyInstance, input: unknown[]): Promise<Entry[]> {
  const res = await app.inject({ method: 'POST', url: '/deliver', payload: { input, destType: 'ometria' } });
  return jsonBody<{ output: Entry[] }>(res).output;
}

/** Every event answered once, in order; the rejected ones with their own record's reason. */
function checkOutcomes(t: Test, output: Entry[], n: number, rejected: ReadonlySet<number>): void {
  t.strictSame(output.map((e) => e.metadata.jobId), Array.from({ length: n }, (_, i) => i + 1), 'every jobId once, in order');
  t.strictSame(
    output.map((e) => e.statusCode),
    output.map((e) => (rejected.has(e.metadata.jobId) ? 400 : 200)),
    'the rejected events alone fail',
  );
  const reasons = output.filter((e) => e.statusCode === 400).map((e) => `job ${e.metadata.jobId}: ${REJECTED.exec(e.error ?? '')?.[1] ?? e.error}`);
  t.strictSame(reasons, [...rejected].sort((a, b) => a - b).map((job) => `job ${job}: L${job}`), 'each rejected event carries its own record’s reason');
}

for (const rejected of [[37], [1, 50, 100], Array.from({ length: 100 }, (_, i) => i + 1)]) {
  t.test(`a push of 100 records with ${rejected.length} rejected: each found alone, the others delivered`, async (t) => {
    const mock = await withMock(t, { rejections: { ids: rejected.map((n) => `L${n}`) } });
    const app = await testApp(t, deliveryEnv(mock.url));
    const output = await deliver(app, contacts(100));
    checkOutcomes(t, output, 100, new Set(rejected));
    const { pushes } = await mockStats(mock);
    t.ok(pushes - 1 <= repushBound(rejected.length, 100), `${pushes - 1} re-pushes, bound ${repushBound(rejected.length, 100)}`);
    t.strictSame(await storedIds(mock, 'contact'), Array.from({ length: 100 }, (_, i) => i + 1).filter((n) => !rejected.includes(n)).map((n) => `L${n}`).sort());
  });
}

t.test('a 429 with Retry-After on a re-push: waited for, and the records still told apart', async (t) => {
  // Two pushes a second: the re-pushes that follow the first push at once are throttled. The
  // service's client and the mock's rate limit share a virtual clock: the waits cost no real time,
  // and a retry sent before its second was over would be throttled again.
  const clock = new FakeClock();
  const mock = await withMock(t, { rejections: { ids: ['L7'] }, faults: { rateLimitPerSecond: 2, retryAfterSeconds: 1 }, clock: clock.now });
  const env = deliveryEnv(mock.url);
  const ometriaClient = createHttpDeliveryClient(loadConfig(env), { clock });
  const app = await testApp(t, env, { clients: new Map([['OMETRIA', ometriaClient]]) });
  t.teardown(() => ometriaClient.close());
  checkOutcomes(t, await deliver(app, contacts(20)), 20, new Set([7]));
  const throttled = (await mockStats(mock)).responses['429'] ?? 0;
  t.ok(throttled > 0, `the mock throttled re-pushes (${throttled} × 429)`);
  t.strictSame(clock.waits, Array<number>(throttled).fill(1000), 'Retry-After was honoured: 1000 ms after each 429, and no other wait');
});

/** A seed whose first draw is not a fault and one of the next five is, for a fault share. */
function seedFaultingARepush(share: number): number {
  for (let seed = 1; ; seed++) {
    const draw = mulberry32(seed);
    const draws = Array.from({ length: 6 }, draw);
    if ((draws[0] as number) >= share && draws.slice(1).some((d) => d < share)) return seed;
  }
}

t.test('a dropped connection on a re-push: retried, and the records still told apart', async (t) => {
  const mock = await withMock(t, { rejections: { ids: ['L3'] }, faults: { dropRate: 0.3, seed: seedFaultingARepush(0.3) } });
  const app = await testApp(t, deliveryEnv(mock.url));
  checkOutcomes(t, await deliver(app, contacts(16)), 16, new Set([3]));
  const stats = await mockStats(mock);
  t.ok(stats.dropped > 0, `a re-push's connection was dropped (${stats.dropped})`);
});

t.test('the time runs out mid-way: the records not yet told apart are retried (500), never rejected', async (t) => {
  const mock = await withMock(t, { rejections: { ids: ['L2', 'L60'] }, faults: { delayMs: 300 } });
  // 300 ms a push and 3 s in all: the first push and a few re-pushes (each only while the time
  // left has room for its answer and a look-up), not the dozen that telling both apart takes.
  const app = await testApp(t, deliveryEnv(mock.url, { OMETRIA_DEADLINE_MS: '3000' }));
  const output = await deliver(app, contacts(100));
  t.strictSame(output.map((e) => e.metadata.jobId), Array.from({ length: 100 }, (_, i) => i + 1), 'every jobId once, in order');
  const kept = output.filter((e) => e.statusCode === 500);
  t.ok(kept.length > 0, `${kept.length} events not told apart: retried`);
  t.match(kept[0]?.error, /^Ometria rejected 2 of 100 records of this push \(request_id [0-9a-f-]{36}, status OK\).* \(not told apart: .*; whether this record was accepted is not known, so it is retried\)$/);
  const rejected = output.filter((e) => e.statusCode === 400);
  t.strictSame(
    rejected.map((e) => REJECTED.exec(e.error ?? '')?.[1]),
    rejected.map((e) => `L${e.metadata.jobId}`),
    `only records told apart are rejected, with their reasons (${rejected.length} of L2, L60)`,
  );
  t.ok(rejected.every((e) => [2, 60].includes(e.metadata.jobId)));
  t.ok(output.some((e) => e.statusCode === 200), `${output.filter((e) => e.statusCode === 200).length} events told apart (accepted) in time`);
});

async function routerBatch(app: FastifyInstance, n: number): Promise<Json> {
  const res = await app.inject({ method: 'POST', url: '/routerTransform', payload: { input: contacts(n), destType: 'ometria' } });
  const [item] = jsonBody<{ output: Json[] }>(res).output;
  return item as Json;
}

t.test('v1 proxy, RudderStack’s request shape, 2 rejected jobs of 50: each job gets its own status', async (t) => {
  const mock = await withMock(t, { rejections: { ids: ['L9', 'L41'] } });
  const app = await testApp(t, deliveryEnv(mock.url));
  const answer = await postProxy(app, 1, proxyRequestBody(await routerBatch(app, 50), 1));
  t.equal(answer.status, 200);
  const response = answer.body.output.response as Json[];
  t.strictSame(response.map((r) => r.metadata.jobId), Array.from({ length: 50 }, (_, i) => i + 1), 'every job once, in order');
  t.strictSame(response.map((r) => r.statusCode), response.map((r) => ([9, 41].includes(r.metadata.jobId) ? 400 : 200)));
  const reasons = response.filter((r) => r.statusCode === 400).map((r) => REJECTED.exec(JSON.parse(r.error as string) as string)?.[1]);
  t.strictSame(reasons, ['L9', 'L41'], 'each rejected job’s error is its own record’s reason (JSON-encoded)');
  t.strictSame(await storedIds(mock, 'contact'), Array.from({ length: 50 }, (_, i) => i + 1).filter((n) => n !== 9 && n !== 41).map((n) => `L${n}`).sort());
});

t.test('v0 proxy: one HTTP status covers every job, so a push with some records rejected is retried as a whole, once', async (t) => {
  const mock = await withMock(t, { rejections: { ids: ['L9', 'L41'] } });
  const app = await testApp(t, deliveryEnv(mock.url));
  const answer = await postProxy(app, 0, proxyRequestBody(await routerBatch(app, 50), 0));
  // Which jobs' records were rejected cannot be said in one status: none of them is aborted.
  t.equal(answer.status, 500);
  t.equal(answer.body.output.status, 500);
  t.equal(answer.body.output.destinationResponse.status, 202, "Ometria's own answer is relayed");
  t.match(
    answer.body.output.message,
    /^Ometria rejected 2 of 50 records of this push \(request_id [0-9a-f-]{36}, status OK\); it does not say which: see GET \/v2\/push\/_errors\. A v0 answer has one status for every job of the push: whether this job's record was accepted is not known, so it is retried$/,
  );
  t.equal((await mockStats(mock)).pushes, 1, 'nothing was pushed again');
});

t.test('v0 proxy: a push whose every record was rejected is rejected, with Ometria’s reasons', async (t) => {
  const mock = await withMock(t, { rejections: { ids: ['L1', 'L2', 'L3'] } });
  const app = await testApp(t, deliveryEnv(mock.url));
  const answer = await postProxy(app, 0, proxyRequestBody(await routerBatch(app, 3), 0));
  t.equal(answer.status, 400);
  t.match(answer.body.output.message, /^Ometria rejected every record of this push \(request_id [0-9a-f-]{36}, 0 accepted, 3 rejected\): Record rejected by the mock's rejection rule \(id L\d\) \(at root > id\); /);
  const one = await postProxy(app, 0, proxyRequestBody(await routerBatch(app, 1), 0));
  t.equal(one.status, 400);
  t.match(one.body.output.message, REJECTED, 'a push of one record: its own reason');
});

async function metricsText(app: FastifyInstance): Promise<string> {
  return (await app.inject({ method: 'GET', url: '/metrics' })).payload;
}

t.test('queue headers: the gauges follow the last answer, by destination id; a push with too little room is held back', async (t) => {
  const mock = await withMock(t, { queue: { limit: 150, drainPerSecond: 0 } });
  const app = await testApp(t, deliveryEnv(mock.url, { OMETRIA_MAX_ATTEMPTS: '3' }));
  t.strictSame((await deliver(app, contacts(100))).map((e) => e.statusCode), Array.from({ length: 100 }, () => 200));
  const text = await metricsText(app);
  t.match(text, /^delivery_queue_limit\{destination_id="dest-r"\} 150$/m);
  t.match(text, /^delivery_queue_remaining\{destination_id="dest-r"\} 50$/m);
  t.notMatch(text, /key-r/, 'the API key is never a label');
  // 100 more records and room for 50: held back, sent once (the mock answers that its queue is
  // full, and how much room is left), then held back again.
  const before = (await mockStats(mock)).pushes;
  const second = await deliver(app, Array.from({ length: 100 }, (_, i) => ({ ...contacts(1)[0], message: identifyMessage(200 + i), metadata: routerMetadata(200 + i) })));
  t.strictSame([...new Set(second.map((e) => `${e.statusCode} ${e.error}`))], [
    "429 Not sent: Ometria's queue was full (the queue reported room for 50 records and the push has 100; 3 attempts)",
  ]);
  t.equal((await mockStats(mock)).pushes - before, 1, 'one of the three attempts was sent');
});

t.test('metrics: dropped values by bounded field and reason, pushes and re-pushes by outcome, events by final status', async (t) => {
  const mock = await withMock(t, { rejections: { ids: ['L2'] } });
  const app = await testApp(t, deliveryEnv(mock.url));
  const input = contacts(4);
  (input[0] as Json).message = identifyMessage(1, { phone: 'not a phone' });
  (input[3] as Json).message = { type: 'identify', messageId: 'm-4' };
  await deliver(app, input);
  const text = await metricsText(app);
  t.match(text, /^transformer_dropped_values_total\{destination="OMETRIA",field="traits.phone",reason="invalid"\} 1$/m);
  t.match(text, /^delivery_pushes_total\{destination="OMETRIA",outcome="rejected",status_code="202"\} 1$/m, 'the status Ometria answered');
  // The _errors look-ups (GET, answered 200) are look-ups, never push attempts.
  t.match(text, /^delivery_lookup_duration_seconds_count\{outcome="200"\} [1-9]\d*$/m);
  t.notMatch(text, /^delivery_attempt_duration_seconds_count\{outcome="200"\}/m);
  t.match(text, /^delivery_repushes_total\{destination="OMETRIA",outcome="delivered"\} \d+$/m);
  t.match(text, /^delivery_repushes_total\{destination="OMETRIA",outcome="rejected"\} \d+$/m);
  t.match(text, /^delivery_events_total\{destination="OMETRIA",status_code="200",outcome="delivered"\} 2$/m);
  t.match(text, /^delivery_events_total\{destination="OMETRIA",status_code="400",outcome="rejected"\} 1$/m);
  t.match(text, /^delivery_events_total\{destination="OMETRIA",status_code="400",outcome="invalid"\} 1$/m);
});

t.test('1,000 events while the mock fails 30% of pushes and rejects 2% of records: only those fail, nothing lost or duplicated', async (t) => {
  const { input, expected, invalid } = mixedEvents(1000);
  // Every 50th valid record, of every type, is rejected by rule.
  const all = [...expected.contact, ...expected.custom_event, ...expected.order].sort();
  const rejectedIds = all.filter((_, i) => i % 50 === 0);
  const mock: RunningMockOmetria = await withMock(t, {
    rejections: { ids: rejectedIds },
    faults: { failRate: 0.15, throttleRate: 0.1, retryAfterSeconds: 0, dropRate: 0.05, seed: 11 },
  });
  const app = await testApp(t, deliveryEnv(mock.url));
  const output = await deliver(app, input);
  t.strictSame(output.map((e) => e.metadata.jobId), input.map((e) => e.metadata.jobId), 'every event once, in input order');
  const idOf = (jobId: number) => {
    const message = input[jobId - 1]?.message as Json;
    return message.type === 'identify' ? `L${jobId}` : message.event === 'Order Completed' ? `o-${jobId}` : `m-${jobId}`;
  };
  const failedValid = output.filter((e) => !invalid.has(e.metadata.jobId) && e.statusCode !== 200).map((e) => idOf(e.metadata.jobId)).sort();
  t.strictSame(failedValid, [...rejectedIds].sort(), 'only the rejected records fail among the valid events');
  t.strictSame([...new Set(output.filter((e) => rejectedIds.includes(idOf(e.metadata.jobId))).map((e) => e.statusCode))], [400]);
  for (const type of ['contact', 'custom_event', 'order'] as const) {
    t.strictSame(await storedIds(mock, type), expected[type].filter((id) => !rejectedIds.includes(id)).sort(), `${type}: every accepted id stored`);
  }
  const writes = (await call(mock, 'GET', '/_stats')).body as { writes: Record<string, number> };
  t.ok(Object.keys(writes.writes).length > 0);
});
