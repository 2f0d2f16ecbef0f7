import t from 'tap';
import { MockAgent } from 'undici';
import { fullJitter, retryAfterMs } from '../../src/http/backoff.js';
import { OmetriaClient, type AttemptReport, type OmetriaClientOptions } from '../../src/http/ometria-client.js';

const ORIGIN = 'https://api.ometria.com';
const OK = { status: 'OK', request_id: 'r-1', accepted: 1, rejected: 0 };

function setup(t: { teardown(fn: () => unknown): void }, options: Partial<OmetriaClientOptions> = {}) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const attempts: AttemptReport[] = [];
  const client = new OmetriaClient({
    timeoutMs: 1000,
    maxAttempts: 5,
    retryBaseMs: 5,
    retryMaxMs: 20,
    deadlineMs: 5000,
    ratePerSecond: 0,
    connections: 4,
    dispatcher: agent,
    onAttempt: (a) => attempts.push(a),
    ...options,
  });
  t.teardown(() => agent.close());
  return { pool: agent.get(ORIGIN), client, attempts, agent };
}

const push = (client: OmetriaClient, rateKey = 'key-1') =>
  client.post({ url: `${ORIGIN}/v2/push`, headers: { 'X-Ometria-Auth': rateKey }, body: '[]', rateKey });
const resetError = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const intercept = { path: '/v2/push', method: 'POST' } as const;

t.test('retries 429, 503, connection resets and timeouts, then succeeds', async (t) => {
  const { pool, client, attempts } = setup(t, { timeoutMs: 100 });
  pool.intercept(intercept).reply(429, { status: 'ERROR' });
  pool.intercept(intercept).reply(503, 'unavailable');
  pool.intercept(intercept).replyWithError(resetError());
  pool.intercept(intercept).reply(200, OK).delay(500);
  pool.intercept(intercept).reply(202, OK, { headers: { 'content-type': 'application/json' } });
  const result = await push(client);
  t.match(result, { kind: 'response', status: 202, attempts: 5 });
  t.strictSame(attempts.map((a) => a.outcome), [429, 503, 'ECONNRESET', 'ETIMEDOUT', 202]);
  t.strictSame(JSON.parse((result as { body: string }).body), OK);
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
  const { pool, client } = setup(t, { maxAttempts: 3 });
  pool.intercept(intercept).reply(500, 'a').times(3);
  t.match(await push(client), { kind: 'response', status: 500, attempts: 3 });
});

t.test('a transport failure on every attempt is reported with its code', async (t) => {
  const { pool, client } = setup(t, { maxAttempts: 2 });
  pool.intercept(intercept).replyWithError(resetError()).times(2);
  t.match(await push(client), { kind: 'transport', code: 'ECONNRESET', attempts: 2 });
});

t.test('Retry-After is honoured', async (t) => {
  const { pool, client } = setup(t);
  pool.intercept(intercept).reply(429, '', { headers: { 'retry-after': '1' } });
  pool.intercept(intercept).reply(200, OK);
  const started = Date.now();
  const result = await push(client);
  t.match(result, { status: 200, attempts: 2 });
  t.ok(Date.now() - started >= 990, `waited ${Date.now() - started} ms for Retry-After: 1`);
});

t.test('the deadline bounds attempts, backoff and Retry-After waits', async (t) => {
  const hinted = setup(t, { deadlineMs: 500 });
  hinted.pool.intercept(intercept).reply(429, '', { headers: { 'retry-after': '5' } });
  let started = Date.now();
  t.match(await push(hinted.client), { status: 429, attempts: 1 }, 'a Retry-After past the deadline ends the retries');
  t.ok(Date.now() - started < 400);

  const slow = setup(t, { deadlineMs: 300, timeoutMs: 1000, retryBaseMs: 1, retryMaxMs: 1 });
  slow.pool.intercept(intercept).reply(200, OK).delay(2000).times(5);
  started = Date.now();
  t.match(await push(slow.client), { kind: 'transport', code: 'ETIMEDOUT' });
  const took = Date.now() - started;
  t.ok(took >= 280 && took < 800, `stopped at the deadline (${took} ms)`);
});

t.test('the rate limit holds a burst to the configured rate, per key', async (t) => {
  const { pool, client } = setup(t, { ratePerSecond: 10 });
  const seen: { key: string; at: number }[] = [];
  pool
    .intercept(intercept)
    .reply(200, (opts) => {
      seen.push({ key: String((opts.headers as Record<string, string>)['X-Ometria-Auth']), at: Date.now() });
      return OK;
    })
    .persist();
  const started = Date.now();
  await Promise.all([...Array.from({ length: 25 }, () => push(client, 'key-a')), ...Array.from({ length: 5 }, () => push(client, 'key-b'))]);
  const a = seen.filter((s) => s.key === 'key-a').map((s) => s.at - started);
  const b = seen.filter((s) => s.key === 'key-b').map((s) => s.at - started);
  t.equal(a.length, 25);
  t.ok(Math.max(...a) >= 2000, `25 requests at 10/s need three windows (last at ${Math.max(...a)} ms)`);
  for (const start of a) {
    const inWindow = a.filter((x) => x >= start && x < start + 1000).length;
    t.ok(inWindow <= 10, `at most 10 in any second (from ${start} ms: ${inWindow})`);
  }
  t.ok(Math.max(...b) < 600, 'another key is not held back by the first');
});

t.test('a fractional rate spaces requests further apart', async (t) => {
  const { pool, client } = setup(t, { ratePerSecond: 2.5 });
  const seen: number[] = [];
  pool.intercept(intercept).reply(200, () => (seen.push(Date.now()), OK)).persist();
  await Promise.all(Array.from({ length: 3 }, () => push(client)));
  t.ok((seen[2] as number) - (seen[0] as number) >= 800, '2.5/s: the third start comes 0.8 s after the first');
});

t.test('a rate-limit wait past the deadline is not taken', async (t) => {
  const { pool, client } = setup(t, { ratePerSecond: 1, deadlineMs: 300 });
  pool.intercept(intercept).reply(200, OK).persist();
  const [first, second] = await Promise.all([push(client), push(client)]);
  t.match(first, { kind: 'response', status: 200 });
  t.match(second, { kind: 'transport', code: 'RATE_LIMITED', attempts: 0 });
});

t.test('backoff helpers', async (t) => {
  t.equal(fullJitter(1, 100, 1000, () => 0.999), 99);
  t.equal(fullJitter(4, 100, 1000, () => 0.5), 400);
  t.equal(fullJitter(10, 100, 1000, () => 0.999), 999, 'capped');
  t.equal(retryAfterMs('2'), 2000);
  t.equal(retryAfterMs(new Date(Date.now() + 3000).toUTCString()) as number > 1000, true);
  t.equal(retryAfterMs('soon'), undefined);
  t.equal(retryAfterMs(undefined), undefined);
});

t.test('queue headers: the room is recorded per key and reported by label; a push that would not fit is held back as for a 429', async (t) => {
  const { QueueRoom } = await import('../../src/http/queue-room.js');
  const reported: [string, number, number][] = [];
  const room = new QueueRoom({ limit: 'X-QueueSize-Limit', remaining: 'X-QueueSize-Remaining' }, (label, limit, remaining) => reported.push([label, limit, remaining]));
  const waits: number[] = [];
  const { pool, client, attempts } = setup(t, { room, sleep: async (ms) => void waits.push(ms), random: () => 0.5 });
  const queue = (remaining: number) => ({ headers: { 'x-queuesize-limit': '50000', 'x-queuesize-remaining': String(remaining) } });
  pool.intercept(intercept).reply(202, OK, queue(40));
  pool.intercept(intercept).reply(202, OK, queue(49_000));
  const send = (records: number) =>
    client.post({ url: `${ORIGIN}/v2/push`, headers: { 'X-Ometria-Auth': 'key-1' }, body: '[]', rateKey: 'key-1', records, label: 'dest-1' });
  t.match(await send(100), { kind: 'response', status: 202, attempts: 1 });
  t.strictSame(reported, [['dest-1', 50_000, 40]], 'the gauges get the destination id, never the key');
  // Room for 40 records, 100 to send: the first attempt waits instead of sending, the second sends.
  t.match(await send(100), { kind: 'response', status: 202, attempts: 2 });
  t.strictSame(waits, [2], 'one backoff wait (attempt 1: half of the 5 ms base, floored)');
  t.strictSame(attempts.map((a) => a.outcome), [202, 202], 'nothing was sent while held back');
  t.strictSame(reported, [['dest-1', 50_000, 40], ['dest-1', 50_000, 49_000]]);
});

t.test('a push held back on every attempt ends as QUEUE_FULL, never sent', async (t) => {
  const { QueueRoom } = await import('../../src/http/queue-room.js');
  const room = new QueueRoom({ limit: 'X-QueueSize-Limit', remaining: 'X-QueueSize-Remaining' });
  const { pool, client, attempts } = setup(t, { room, maxAttempts: 1, sleep: async () => undefined });
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
