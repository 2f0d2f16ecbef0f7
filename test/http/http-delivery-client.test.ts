import t from 'tap';
import { MockAgent } from 'undici';
import { fullJitter, retryAfterMs } from '../../src/http/backoff.js';
import { systemClock } from '../../src/core/clock.js';
import type { AttemptReport } from '../../src/core/delivery-client.js';
import { HttpDeliveryClient, type HttpDeliveryClientOptions } from '../../src/http/http-delivery-client.js';
import { FakeClock } from '../helpers/fake-clock.js';

const ORIGIN = 'https://api.ometria.com';
const OK = { status: 'OK', request_id: 'r-1', accepted: 1, rejected: 0 };

/**
 * A client on a MockAgent, its waits in virtual time (`clock`) unless `options.clock` says
 * otherwise. `sentAt`: the virtual time of each attempt, so that a wait is seen to be honoured.
 */
function setup(t: { teardown(fn: () => unknown): void }, options: Partial<HttpDeliveryClientOptions> = {}) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const attempts: AttemptReport[] = [];
  const sentAt: number[] = [];
  const clock = new FakeClock();
  const client = new HttpDeliveryClient({
    timeoutMs: 1000,
    maxAttempts: 5,
    retryBaseMs: 5,
    retryMaxMs: 20,
    deadlineMs: 5000,
    ratePerSecond: 0,
    connections: 4,
    dispatcher: agent,
    onAttempt: (a) => {
      attempts.push(a);
      sentAt.push(clock.elapsed());
    },
    clock,
    ...options,
  });
  t.teardown(() => agent.close());
  return { pool: agent.get(ORIGIN), client, attempts, agent, clock, sentAt };
}

const push = (client: HttpDeliveryClient, rateKey = 'key-1') =>
  client.post({ url: `${ORIGIN}/v2/push`, headers: { 'X-Ometria-Auth': rateKey }, body: '[]', rateKey });
const resetError = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const intercept = { path: '/v2/push', method: 'POST' } as const;

t.test('retries 429, 503, connection resets and timeouts, then succeeds', async (t) => {
  const { pool, client, attempts, clock, sentAt } = setup(t, { timeoutMs: 100, random: () => 0.5 });
  pool.intercept(intercept).reply(429, { status: 'ERROR' });
  pool.intercept(intercept).reply(503, 'unavailable');
  pool.intercept(intercept).replyWithError(resetError());
  pool.intercept(intercept).reply(200, OK).delay(500);
  pool.intercept(intercept).reply(202, OK, { headers: { 'content-type': 'application/json' } });
  const result = await push(client);
  t.match(result, { kind: 'response', status: 202, attempts: 5 });
  t.strictSame(attempts.map((a) => a.outcome), [429, 503, 'ECONNRESET', 'ETIMEDOUT', 202]);
  t.strictSame(JSON.parse((result as { body: string }).body), OK);
  // Half of min(20, 5 × 2^(attempt-1)), floored: the full-jitter backoff between the five attempts.
  t.strictSame(clock.waits, [2, 5, 10, 10], 'a backoff wait before each retry');
  t.strictSame(sentAt, [0, 2, 7, 17, 27], 'each retry sent once its wait was over');
});

t.test('no retry on 400 or 403', async (t) => {
  for (const status of [400, 403, 404, 413]) {
    const { pool, client, attempts } = setup(t);
    pool.intercept(intercept).reply(status, { message: 'no' });
    const result = await push(client);
    t.match(result, { kind: 'response', status, attempts: 1 }, `${status}`);
    t.equal(attempts.length, 1);
  }
});

t.test('gives up after maxAttempts with the last answer', async (t) => {
  const { pool, client, clock, sentAt } = setup(t, { maxAttempts: 3, random: () => 0.999 });
  pool.intercept(intercept).reply(500, 'a').times(3);
  t.match(await push(client), { kind: 'response', status: 500, attempts: 3 });
  t.strictSame(clock.waits, [4, 9], 'no wait after the last attempt');
  t.strictSame(sentAt, [0, 4, 13]);
});

t.test('a transport failure on every attempt is reported with its code', async (t) => {
  const { pool, client } = setup(t, { maxAttempts: 2 });
  pool.intercept(intercept).replyWithError(resetError()).times(2);
  t.match(await push(client), { kind: 'transport', code: 'ECONNRESET', attempts: 2 });
});

t.test('Retry-After is honoured', async (t) => {
  const { pool, client, clock, sentAt } = setup(t);
  pool.intercept(intercept).reply(429, '', { headers: { 'retry-after': '1' } });
  pool.intercept(intercept).reply(200, OK);
  const result = await push(client);
  t.match(result, { status: 200, attempts: 2 });
  t.strictSame(clock.waits, [1000], 'waited 1000 ms for Retry-After: 1, and nothing else');
  t.strictSame(sentAt, [0, 1000], 'the retry went once the wait was over');
});

t.test('a Retry-After date is counted from the client clock', async (t) => {
  const { pool, client, clock, sentAt } = setup(t);
  pool.intercept(intercept).reply(503, '', { headers: { 'retry-after': new Date(clock.now() + 3000).toUTCString() } });
  pool.intercept(intercept).reply(200, OK);
  t.match(await push(client), { status: 200, attempts: 2 });
  t.strictSame(clock.waits, [3000]);
  t.strictSame(sentAt, [0, 3000]);
});

t.test('the deadline bounds attempts, backoff and Retry-After waits', async (t) => {
  const hinted = setup(t, { deadlineMs: 500 });
  hinted.pool.intercept(intercept).reply(429, '', { headers: { 'retry-after': '5' } });
  t.match(await push(hinted.client), { status: 429, attempts: 1 }, 'a Retry-After past the deadline ends the retries');
  t.strictSame(hinted.clock.waits, [], 'without waiting for it');

  // 1 s deadline, random 0.999: backoff 399 ms, then 799 ms, which would end past the deadline.
  const backoff = setup(t, { deadlineMs: 1000, retryBaseMs: 400, retryMaxMs: 10_000, random: () => 0.999 });
  backoff.pool.intercept(intercept).reply(503, 'busy').times(5);
  t.match(await push(backoff.client), { status: 503, attempts: 2 }, 'a backoff past the deadline ends the retries');
  t.strictSame(backoff.clock.waits, [399]);
  t.strictSame(backoff.sentAt, [0, 399]);

  // The attempt itself is cut at the deadline: undici's timeout, on the wall clock.
  const slow = setup(t, { deadlineMs: 300, timeoutMs: 1000, retryBaseMs: 1, retryMaxMs: 1, clock: systemClock });
  slow.pool.intercept(intercept).reply(200, OK).delay(2000).times(5);
  const started = Date.now();
  t.match(await push(slow.client), { kind: 'transport', code: 'ETIMEDOUT' });
  const took = Date.now() - started;
  t.ok(took >= 280 && took < 800, `stopped at the deadline (${took} ms)`);
});

t.test('the rate limit holds a burst to the configured rate, per key', async (t) => {
  const { pool, client, clock } = setup(t, { ratePerSecond: 10 });
  const seen: { key: string; at: number }[] = [];
  pool
    .intercept(intercept)
    .reply(200, (opts) => {
      seen.push({ key: String((opts.headers as Record<string, string>)['X-Ometria-Auth']), at: clock.elapsed() });
      return OK;
    })
    .persist();
  await Promise.all([...Array.from({ length: 25 }, () => push(client, 'key-a')), ...Array.from({ length: 5 }, () => push(client, 'key-b'))]);
  const at = (key: string) => seen.filter((s) => s.key === key).map((s) => s.at);
  // A window is 1 s plus the 10 ms margin: 10 starts at once, 10 more a window later, then 5.
  t.strictSame(at('key-a'), [...Array<number>(10).fill(0), ...Array<number>(10).fill(1010), ...Array<number>(5).fill(2020)], '25 requests at 10/s need three windows');
  t.strictSame(at('key-b'), [0, 0, 0, 0, 0], 'another key is not held back by the first');
  t.strictSame(clock.waits, [1010, 1010], 'the first key waited twice, the other never');
});

t.test('a fractional rate spaces requests further apart', async (t) => {
  const { pool, client, clock } = setup(t, { ratePerSecond: 2.5 });
  const seen: number[] = [];
  pool.intercept(intercept).reply(200, () => (seen.push(clock.elapsed()), OK)).persist();
  await Promise.all(Array.from({ length: 3 }, () => push(client)));
  t.strictSame(seen, [0, 0, 810], '2.5/s: two starts, the third 0.8 s (plus the 10 ms margin) after the first');
  t.strictSame(clock.waits, [810]);
});

t.test('a rate-limit wait past the deadline is not taken', async (t) => {
  const { pool, client, clock } = setup(t, { ratePerSecond: 1, deadlineMs: 300 });
  pool.intercept(intercept).reply(200, OK).persist();
  const [first, second] = await Promise.all([push(client), push(client)]);
  t.match(first, { kind: 'response', status: 200 });
  t.match(second, { kind: 'transport', code: 'RATE_LIMITED', attempts: 0 });
  t.strictSame(clock.waits, [], 'the second gave up at once rather than wait 1010 ms');
});

t.test('backoff helpers', async (t) => {
  t.equal(fullJitter(1, 100, 1000, () => 0.999), 99);
  t.equal(fullJitter(4, 100, 1000, () => 0.5), 400);
  t.equal(fullJitter(10, 100, 1000, () => 0.999), 999, 'capped');
  const now = 1_700_000_000_000;
  t.equal(retryAfterMs('2', now), 2000);
  t.equal(retryAfterMs(' 0.5 ', now), 500);
  t.equal(retryAfterMs(new Date(now + 3000).toUTCString(), now), 3000, 'an HTTP date, counted from now');
  t.equal(retryAfterMs(new Date(now - 3000).toUTCString(), now), 0, 'a date gone by: no wait');
  t.equal(retryAfterMs('soon', now), undefined);
  t.equal(retryAfterMs(undefined, now), undefined);
});

t.test('queue headers: the room is recorded per key and reported by label; a push that would not fit is held back as for a 429', async (t) => {
  const { QueueRoom } = await import('../../src/http/queue-room.js');
  const reported: [string, number, number][] = [];
  const room = new QueueRoom({ limit: 'X-QueueSize-Limit', remaining: 'X-QueueSize-Remaining' }, (label, limit, remaining) => reported.push([label, limit, remaining]));
  const { pool, client, attempts, clock } = setup(t, { room, random: () => 0.5 });
  const queue = (remaining: number) => ({ headers: { 'x-queuesize-limit': '50000', 'x-queuesize-remaining': String(remaining) } });
  pool.intercept(intercept).reply(202, OK, queue(40));
  pool.intercept(intercept).reply(202, OK, queue(49_000));
  const send = (records: number) =>
    client.post({ url: `${ORIGIN}/v2/push`, headers: { 'X-Ometria-Auth': 'key-1' }, body: '[]', rateKey: 'key-1', records, label: 'dest-1' });
  t.match(await send(100), { kind: 'response', status: 202, attempts: 1 });
  t.strictSame(reported, [['dest-1', 50_000, 40]], 'the gauges get the destination id, never the key');
  // Room for 40 records, 100 to send: the first attempt waits instead of sending, the second sends.
  t.match(await send(100), { kind: 'response', status: 202, attempts: 2 });
  t.strictSame(clock.waits, [2], 'one backoff wait (attempt 1: half of the 5 ms base, floored)');
  t.strictSame(attempts.map((a) => a.outcome), [202, 202], 'nothing was sent while held back');
  t.strictSame(reported, [['dest-1', 50_000, 40], ['dest-1', 50_000, 49_000]]);
});

t.test('a push held back on every attempt ends as QUEUE_FULL, never sent', async (t) => {
  const { QueueRoom } = await import('../../src/http/queue-room.js');
  const room = new QueueRoom({ limit: 'X-QueueSize-Limit', remaining: 'X-QueueSize-Remaining' });
  const { pool, client, attempts } = setup(t, { room, maxAttempts: 1 });
  pool.intercept(intercept).reply(202, OK, { headers: { 'x-queuesize-limit': '100', 'x-queuesize-remaining': '3' } });
  const send = () => client.post({ url: `${ORIGIN}/v2/push`, headers: {}, body: '[]', rateKey: 'k', records: 10 });
  await send();
  t.strictSame(await send(), {
    kind: 'transport',
    code: 'QUEUE_FULL',
    message: 'the queue reported room for 3 records and the push has 10',
    attempts: 1,
  });
  t.equal(attempts.length, 1, 'only the first push was sent');
});

t.test('get: one attempt, never retried', async (t) => {
  const { pool, client, attempts } = setup(t);
  pool.intercept({ path: '/v2/push/_errors?request_id=r-1', method: 'GET' }).reply(500, 'no');
  const result = await client.get({ url: `${ORIGIN}/v2/push/_errors?request_id=r-1`, headers: {}, rateKey: 'k' });
  t.match(result, { kind: 'response', status: 500, attempts: 1 });
  t.equal(attempts.length, 1);
});

t.test('roomMs: an attempt whose slot would leave less room than that before the deadline is not sent, at once', async (t) => {
  const { pool, client, clock, attempts } = setup(t, { ratePerSecond: 1, deadlineMs: 5000 });
  pool.intercept(intercept).reply(202, OK).persist();
  const post = (roomMs: number, urgent = false) =>
    client.post({ url: `${ORIGIN}/v2/push`, headers: {}, body: '[]', rateKey: 'k', deadlineMs: 2000, roomMs, urgent });
  t.match(await post(0), { kind: 'response', status: 202 });
  // The next slot is at 1010: with 1000 ms of room it would end past the 2000 ms budget.
  t.strictSame(await post(1000), { kind: 'transport', code: 'RATE_LIMITED', message: 'no rate-limit slot in time', attempts: 0 });
  t.strictSame(clock.waits, [], 'refused without waiting');
  t.match(await post(990), { kind: 'response', status: 202 }, 'with room left at 1010 it waits and goes');
  t.strictSame(clock.waits, [1010]);
  t.equal(attempts.length, 2, 'the refused one was never sent');
});

t.test('roomMs: a retry that would start too late is not made', async (t) => {
  // random 0.999, base 400: the first backoff is 399 ms; with 700 ms of room in a 1000 ms budget
  // the retry would start after 300 ms: too late.
  const { pool, client, clock } = setup(t, { deadlineMs: 1000, retryBaseMs: 400, retryMaxMs: 10_000, random: () => 0.999 });
  pool.intercept(intercept).reply(503, 'busy').times(3);
  const result = await client.post({ url: `${ORIGIN}/v2/push`, headers: {}, body: '[]', rateKey: 'k', roomMs: 700 });
  t.match(result, { kind: 'response', status: 503, attempts: 1 });
  t.strictSame(clock.waits, []);
});

t.test('answerRoomMs: 500 ms before any answer, then the answers’ smoothed duration and deviation; fixed when configured', async (t) => {
  const { pool, client } = setup(t);
  t.equal(client.answerRoomMs(), 500);
  pool.intercept(intercept).reply(202, OK).times(5);
  for (let i = 0; i < 5; i++) await push(client);
  const room = client.answerRoomMs();
  t.ok(room >= 1 && room < 500, `fast answers leave a small room (${room} ms)`);
  t.equal(setup(t, { answerRoomMs: 42 }).client.answerRoomMs(), 42);
  t.equal(setup(t, { ratePerSecond: 4 }).client.slotIntervalMs, 1010 / 4);
});

t.test('a retry goes before first attempts waiting for the rate limit', async (t) => {
  const { pool, client, clock } = setup(t, { ratePerSecond: 1, random: () => 0.5 });
  const seen: string[] = [];
  let first = true;
  pool
    .intercept(intercept)
    .reply((opts) => {
      const key = String((opts.headers as Record<string, string>)['X-Ometria-Auth']);
      seen.push(`${key} at ${clock.elapsed()}`);
      if (key === 'a' && first) {
        first = false;
        return { statusCode: 429, data: '' };
      }
      return { statusCode: 202, data: OK };
    })
    .persist();
  const send = (label: string) => client.post({ url: `${ORIGIN}/v2/push`, headers: { 'X-Ometria-Auth': label }, body: '[]', rateKey: 'k' });
  const results = await Promise.all([send('a'), send('b')]);
  t.strictSame(results.map((r) => (r.kind === 'response' ? r.status : r.code)), [202, 202]);
  t.strictSame(seen, ['a at 0', 'a at 1010', 'b at 2020'], "a's retry (after a 429) took the next slot before b's first attempt");
});
