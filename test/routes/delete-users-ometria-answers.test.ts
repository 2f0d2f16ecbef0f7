/**
 * /deleteUsers when Ometria does not simply accept (SPEC §8 "Ometria's pace"): 429 with and
 * without Retry-After, 5xx, a dropped connection, a lost answer, a refused person, and a store
 * that fails. Virtual time, against the mock on a loopback port.
 */
import t from 'tap';
import type { DeliveryClient, HttpResult } from '../../src/core/delivery-client.js';
import type { ErasureStore } from '../../src/core/erasure/erasure-store.js';
import { testApp } from '../helpers/app.js';
import { deleteUsers, erasureApp, job, mockDeletions, people, openedStore } from '../helpers/erasure.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { call, withMock } from '../helpers/mock-client.js';
import { sample } from '../helpers/prometheus.js';

/** Repeats the worker's call until it is answered `status` (at most `calls` times, `everyMs` apart in virtual time). */
async function until(app: Awaited<ReturnType<typeof erasureApp>>, clock: FakeClock, body: unknown, status: number, calls = 20, everyMs = 60_000) {
  for (let i = 0; i < calls; i++) {
    const answer = await deleteUsers(app, body);
    if (answer.status === status) return answer;
    await clock.sleep(everyMs);
  }
  throw new Error(`not answered ${status} in ${calls} calls`);
}

t.test("Ometria's 429 with Retry-After: every process holds back until then, and nobody is sent twice", async (t) => {
  const clock = new FakeClock();
  // The mock allows 6 a minute; the service is told it may send 12: the 7th earns a 429.
  const mock = await withMock(t, { clock: clock.now });
  const app = await erasureApp(t, clock, mock, { env: { OMETRIA_DELETION_RATE_PER_MINUTE: '12', DELETION_WAIT_MS: '120000' } });
  const answer = await deleteUsers(app, job('j1', people(8)));
  t.strictSame(answer, { status: 200, result: { statusCode: 200, status: 'successful' } });
  const seen = await call(mock, 'GET', '/_deletions');
  t.equal(seen.status, 200);
  const { requests } = seen.body as { requests: { status: number | null }[] };
  t.strictSame(
    requests.map((r) => r.status),
    [202, 202, 202, 202, 202, 202, 429, 202, 202],
    'one 429, then the Retry-After was waited out before the next request',
  );
  t.ok(clock.elapsed() >= 60_000, `the hold lasted until Ometria's window freed a slot (${clock.elapsed()} ms)`);
  t.strictSame(Object.values((await mockDeletions(mock)).accepted), Array(8).fill(1));
});

// Faults Ometria did not act on: the people wait (the answer says why), then go once each.
for (const { name, fault, count, said } of [
  { name: '429 without Retry-After backs off', fault: 'throttleRate', count: 2, said: "0 of 2 people sent to Ometria; 2 waiting for Ometria's rate limit" },
  { name: 'a 5xx is retried with backoff', fault: 'failRate', count: 1, said: '0 of 1 person sent to Ometria; 1 waiting to retry after Ometria answered 500' },
] as const) {
  t.test(`${name}; the answer says why the people wait; then 200`, async (t) => {
    const clock = new FakeClock();
    const mock = await withMock(t, { clock: clock.now, deletions: { [fault]: 1 } });
    const app = await erasureApp(t, clock, mock, { env: { DELETION_WAIT_MS: '5000' } });
    const first = await deleteUsers(app, job('j1', people(count)));
    t.strictSame(first, { status: 500, result: { statusCode: 500, error: said } });
    t.equal((await call(mock, 'PUT', '/_control/deletions', { [fault]: 0 })).status, 200);
    await until(app, clock, job('j1', people(count)), 200);
    t.strictSame(Object.values((await mockDeletions(mock)).accepted), Array(count).fill(1));
  });
}

t.test('a lost answer (Ometria acted, the connection dropped): the person is sent once more, only after the claim expired', async (t) => {
  const clock = new FakeClock();
  const mock = await withMock(t, { clock: clock.now, deletions: { lostAnswerRate: 1 } });
  const app = await erasureApp(t, clock, mock, { env: { DELETION_WAIT_MS: '1000' } });
  const first = await deleteUsers(app, job('j1', people(1)));
  t.equal(first.status, 500);
  t.match(first.result.error, /^0 of 1 person sent to Ometria; 1 waiting to retry after no answer from Ometria \(/);
  t.equal((await call(mock, 'PUT', '/_control/deletions', { lostAnswerRate: 0 })).status, 200);
  await until(app, clock, job('j1', people(1)), 200);
  const seen = await call(mock, 'GET', '/_deletions');
  t.equal(seen.status, 200);
  const times = (seen.body as { requests: { receivedAt: string }[] }).requests.map((r) => Date.parse(r.receivedAt));
  t.equal(times.length, 2, 'one repeat');
  t.ok((times[1] as number) - (times[0] as number) >= 35_000, 'not before the claim expired (OMETRIA_DEADLINE_MS + 5 s)');
  t.strictSame((await mockDeletions(mock)).accepted, { 'p1@example.com': 2 });
});

t.test('a dropped connection before Ometria acted is retried like a lost answer: at most one more request', async (t) => {
  const clock = new FakeClock();
  const mock = await withMock(t, { clock: clock.now, deletions: { dropRate: 1 } });
  const app = await erasureApp(t, clock, mock, { env: { DELETION_WAIT_MS: '1000' } });
  t.equal((await deleteUsers(app, job('j1', people(1)))).status, 500);
  t.equal((await call(mock, 'PUT', '/_control/deletions', { dropRate: 0 })).status, 200);
  await until(app, clock, job('j1', people(1)), 200);
  t.strictSame((await mockDeletions(mock)).accepted, { 'p1@example.com': 1 });
});

/** A client answering every erasure request `status`, and counting them. */
function answering(status: number, clock: FakeClock): DeliveryClient & { posts: number } {
  const client = {
    posts: 0,
    post: async (): Promise<HttpResult> => {
      client.posts += 1;
      return { kind: 'response', status, headers: {}, body: '{"message":"p1@example.com is not valid"}', attempts: 1 };
    },
    get: async (): Promise<HttpResult> => ({ kind: 'transport', code: 'ERROR', message: 'unused', attempts: 0 }),
    now: clock.now,
    deadlineMs: 30_000,
    answerRoomMs: () => 500,
    slotIntervalMs: 0,
  };
  return client;
}

t.test('a person Ometria refuses (another 4xx): 400 naming them by position and userId, never its text (it may quote the address)', async (t) => {
  const clock = new FakeClock();
  const client = answering(422, clock);
  const app = await testApp(t, {}, { erasureClients: new Map([['OMETRIA', client]]), erasureStore: await openedStore(t), clock });
  const answer = await deleteUsers(app, job('j1', people(1)));
  t.strictSame(answer, { status: 400, result: { statusCode: 400, error: 'Ometria refused the erasure of userAttributes[0] (userId "u1") (HTTP 422); 0 of 1 person sent to Ometria' } });
  t.equal(client.posts, 1, 'not retried within the attempt');
  const metrics = await app.inject({ method: 'GET', url: '/metrics' });
  t.equal(metrics.statusCode, 200);
  t.equal(sample(metrics.body, 'erasure_people_failed_total{destination="OMETRIA",reason="person_refused"}'), 1);
});

t.test('a store that fails: 500 saying so, and the worker retries', async (t) => {
  const clock = new FakeClock();
  const broken = new Error('database is down');
  const store: ErasureStore = {
    description: 'broken',
    isComplete: () => Promise.reject(broken),
    acceptedOf: () => Promise.reject(broken),
    claim: () => Promise.reject(broken),
    accept: () => Promise.reject(broken),
    release: () => Promise.reject(broken),
    holdKey: () => Promise.reject(broken),
    complete: () => Promise.reject(broken),
    close: () => Promise.resolve(),
  };
  const app = await testApp(t, {}, { erasureClients: new Map([['OMETRIA', answering(202, clock)]]), erasureStore: store, clock });
  const answer = await deleteUsers(app, job('j1', people(1)));
  t.strictSame(answer, {
    status: 500,
    result: { statusCode: 500, error: "Ometria erasure could not be tracked (the erasure store failed): the worker's next attempt retries it" },
  });
});

t.test('metrics: people erased, waiting, failed, and the age of the oldest waiting person', async (t) => {
  const clock = new FakeClock();
  const mock = await withMock(t, { clock: clock.now });
  const app = await erasureApp(t, clock, mock);
  t.equal((await deleteUsers(app, job('j1', people(8)))).status, 500);
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  t.equal(res.statusCode, 200);
  t.equal(sample(res.body, 'erasure_people_erased_total{destination="OMETRIA"}'), 6);
  t.equal(sample(res.body, 'erasure_people_waiting{destination="OMETRIA"}'), 2);
  t.ok((sample(res.body, 'erasure_oldest_waiting_seconds{destination="OMETRIA"}') ?? 0) >= 50, 'waiting since the call began');
  t.notMatch(res.body, /example\.com|key-1/, 'no address and no key in the metrics');
});

t.test('two calls of the same job at once share its people: each is sent once', async (t) => {
  const clock = new FakeClock();
  const mock = await withMock(t, { clock: clock.now });
  const app = await erasureApp(t, clock, mock);
  const [a, b] = await Promise.all([deleteUsers(app, job('j1', people(4))), deleteUsers(app, job('j1', people(4)))]);
  t.equal(a.status, 200);
  t.equal(b.status, 200);
  t.strictSame(Object.values((await mockDeletions(mock)).accepted), [1, 1, 1, 1]);
  t.equal((await mockDeletions(mock)).received.length, 4);
});

/** A client answering each erasure request with the next of `statuses` (the last one repeats), noting when each came. */
function scripted(clock: FakeClock, statuses: readonly (number | [number, Record<string, string>])[]): DeliveryClient & { times: number[] } {
  const client = {
    times: [] as number[],
    post: async (): Promise<HttpResult> => {
      const next = statuses[Math.min(client.times.length, statuses.length - 1)] as number | [number, Record<string, string>];
      client.times.push(clock.elapsed());
      const [status, headers] = typeof next === 'number' ? [next, {}] : next;
      return { kind: 'response', status, headers, body: '{}', attempts: 1 };
    },
    get: async (): Promise<HttpResult> => ({ kind: 'transport', code: 'ERROR', message: 'unused', attempts: 0 }),
    now: clock.now,
    deadlineMs: 30_000,
    answerRoomMs: () => 500,
    slotIntervalMs: 0,
  };
  return client;
}

/** The store, with its `method` failing the first `times` calls. */
function failing(store: ErasureStore, method: 'claim' | 'accept', times: number): ErasureStore & { failures: number } {
  const wrapped = Object.assign(Object.create(null) as ErasureStore & { failures: number }, {
    failures: 0,
    description: store.description,
    isComplete: store.isComplete.bind(store),
    acceptedOf: store.acceptedOf.bind(store),
    claim: store.claim.bind(store),
    accept: store.accept.bind(store),
    release: store.release.bind(store),
    holdKey: store.holdKey.bind(store),
    complete: store.complete.bind(store),
    close: store.close.bind(store),
  });
  const real = wrapped[method] as (...args: unknown[]) => Promise<unknown>;
  (wrapped as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
    if (wrapped.failures < times) {
      wrapped.failures += 1;
      return Promise.reject(new Error('the database restarted'));
    }
    return real(...args);
  };
  return wrapped;
}

t.test("Ometria's 2xx whose acceptance the store fails to record: recorded on retry, never sent again", async (t) => {
  const clock = new FakeClock();
  const client = scripted(clock, [202]);
  const store = failing(await openedStore(t), 'accept', 3);
  const app = await testApp(t, {}, { erasureClients: new Map([['OMETRIA', client]]), erasureStore: store, clock });
  t.strictSame(await deleteUsers(app, job('j1', people(1))), { status: 200, result: { statusCode: 200, status: 'successful' } });
  t.equal(store.failures, 3);
  t.strictSame(client.times, [0], 'one request');
});

t.test('a store that fails to claim: the lane waits as a whole and goes on with the same people when it is back', async (t) => {
  const clock = new FakeClock();
  const client = scripted(clock, [202]);
  const store = failing(await openedStore(t), 'claim', 4);
  const app = await testApp(t, {}, { erasureClients: new Map([['OMETRIA', client]]), erasureStore: store, clock });
  t.equal((await deleteUsers(app, job('j1', people(3)))).status, 200);
  t.equal(client.times.length, 3, 'each person once');
});

t.test('502 or 504 (a gateway: Ometria may have acted) keeps the claim until it expires, like a lost answer', async (t) => {
  for (const status of [502, 504]) {
    const clock = new FakeClock();
    const client = scripted(clock, [status, 202]);
    const app = await testApp(t, {}, { erasureClients: new Map([['OMETRIA', client]]), erasureStore: await openedStore(t), clock });
    t.equal((await deleteUsers(app, job('j1', people(1)))).status, 200, String(status));
    // The claim: the client's deadline (30 s) plus 5 s.
    t.strictSame(client.times, [0, 35_000], `${status}: sent again only once the claim expired`);
  }
});

t.test("a Retry-After beyond an hour holds the key for an hour", async (t) => {
  const clock = new FakeClock();
  const client = scripted(clock, [[429, { 'retry-after': '99999999' }], 202]);
  const app = await testApp(t, { DELETION_WAIT_MS: '600000' }, { erasureClients: new Map([['OMETRIA', client]]), erasureStore: await openedStore(t), clock });
  t.equal((await deleteUsers(app, job('j1', people(1)))).status, 500, 'still held when the call ends');
  await clock.sleep(3_600_000);
  t.equal((await deleteUsers(app, job('j1', people(1)))).status, 200);
  t.strictSame(client.times, [0, 3_600_000]);
});
