/**
 * The proxy's time budget (RdProxy-Timeout less 500 ms), in virtual time: the service's client
 * runs on a FakeClock and talks to a scripted Ometria on undici's MockAgent, so every wait is
 * exact and costs no real time.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { MockAgent } from 'undici';
import { loadConfig } from '../../src/config.js';
import { createHttpDeliveryClient } from '../../src/http/http-delivery-client-settings.js';
import { testApp } from '../helpers/app.js';
import { FakeClock } from '../helpers/fake-clock.js';

type Json = Record<string, any>;

const ORIGIN = 'https://api.ometria.com';

/**
 * Ometria on a MockAgent: rejects the records whose id is in `bad`, answers each push with its
 * counts and a request id, and lists one error per rejected record under `_errors` (none when
 * `listErrors` is false). `log`: each push's ids and each look-up, with the virtual time.
 */
function scriptedOmetria(t: Test, clock: FakeClock, bad: ReadonlySet<string>, listErrors = true) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  t.teardown(() => agent.close());
  const pool = agent.get(ORIGIN);
  const errors = new Map<string, Json[]>();
  const log: string[] = [];
  let pushes = 0;
  pool
    .intercept({ path: '/v2/push', method: 'POST' })
    .reply(202, (opts) => {
      const ids = (JSON.parse(String(opts.body)) as { id: string }[]).map((r) => r.id);
      pushes += 1;
      const requestId = `req-${pushes}`;
      const rejected = ids.filter((id) => bad.has(id));
      log.push(`${clock.elapsed()} push ${ids.join(',')}`);
      errors.set(requestId, listErrors ? rejected.map((id) => ({ error_message: `Invalid record ${id}`, error_path: 'root > email', request_id: requestId })) : []);
      return { status: 'OK', request_id: requestId, accepted: ids.length - rejected.length, rejected: rejected.length };
    })
    .persist();
  pool
    .intercept({ path: (path) => path.startsWith('/v2/push/_errors?request_id='), method: 'GET' })
    .reply(200, (opts) => {
      const requestId = decodeURIComponent(String(opts.path).split('=')[1] ?? '');
      log.push(`${clock.elapsed()} look-up ${requestId}`);
      return errors.get(requestId) ?? [];
    })
    .persist();
  return { agent, log };
}

/** The app with its Ometria client on the fake clock, at `rate` pushes a second, 50 ms of room per answer. */
async function app(t: Test, clock: FakeClock, agent: MockAgent, rate: number): Promise<FastifyInstance> {
  const env = { OMETRIA_RATE_LIMIT: String(rate), OMETRIA_MAX_ATTEMPTS: '3' };
  const ometriaClient = createHttpDeliveryClient(loadConfig(env), { dispatcher: agent, clock, answerRoomMs: 50 });
  return testApp(t, env, { clients: new Map([['OMETRIA', ometriaClient]]) });
}

/** rudder-server's v1 (or v0) proxy request for a batch of contacts c1…cn, one job each. */
function proxyBody(ids: readonly string[], version: 0 | 1 = 1): Json {
  const metadata = ids.map((_, i) => ({ jobId: i + 1, attemptNum: 0, userId: `u${i + 1}`, sourceId: 's', destinationId: 'dest-1', workspaceId: 'ws-1', secret: null, dontBatch: false }));
  return {
    type: 'REST',
    endpoint: `${ORIGIN}/v2/push`,
    method: 'POST',
    userId: '',
    headers: { 'X-Ometria-Auth': 'key-1', 'Content-Type': 'application/json' },
    params: {},
    body: { JSON: {}, JSON_ARRAY: { batch: JSON.stringify(ids.map((id) => ({ '@type': 'contact', id, email: `${id}@example.com` }))) }, XML: {}, FORM: {} },
    files: {},
    metadata: version === 1 ? metadata : metadata[0],
    destinationConfig: { apiKey: 'key-1' },
  };
}

async function proxy(server: FastifyInstance, body: Json, timeoutMs: number, version: 0 | 1 = 1): Promise<{ status: number; body: Json }> {
  const res = await server.inject({
    method: 'POST',
    url: `/v${version}/destinations/ometria/proxy`,
    headers: { 'content-type': 'application/json', 'rdproxy-timeout': String(timeoutMs) },
    payload: body,
  });
  return { status: res.statusCode, body: res.json() as Json };
}

/** Each job's status and error (decoded), in order. */
const jobs = (answer: { body: Json }) =>
  (answer.body.output.response as Json[]).map((r) => {
    const error: unknown = JSON.parse(r.error as string);
    return `${r.statusCode} ${typeof error === 'string' ? error : JSON.stringify(error)}`;
  });

t.test('a rate-limit wait that leaves no room in the budget is answered retryable (429) at once, and nothing is sent', async (t) => {
  const clock = new FakeClock();
  const { agent, log } = scriptedOmetria(t, clock, new Set());
  const server = await app(t, clock, agent, 1);
  t.strictSame(jobs(await proxy(server, proxyBody(['c1']), 10_000)), ['200 {"status":"OK","request_id":"req-1","accepted":1,"rejected":0}']);
  // One push a second: the next slot is 1010 ms away, and a 1000 ms RdProxy-Timeout leaves 500.
  const refused = await proxy(server, proxyBody(['c2', 'c3']), 1000);
  t.equal(refused.status, 200);
  t.strictSame(
    jobs(refused),
    Array<string>(2).fill('429 Not sent: the per-API-key rate limit had no slot early enough to push and be answered before the delivery deadline (0 attempts)'),
  );
  t.equal(clock.elapsed(), 0, 'answered at once, without waiting');
  t.strictSame(log, ['0 push c1'], 'nothing was sent for it, then or later');
  // With RudderStack's default 10 s there is room: it waits for the slot and goes.
  t.strictSame(jobs(await proxy(server, proxyBody(['c2', 'c3']), 10_000)).map((j) => j.slice(0, 3)), ['200', '200']);
  t.strictSame(log, ['0 push c1', '1010 push c2,c3']);
});

t.test('a push of one record that Ometria rejects: its error is Ometria’s reason from _errors, on v1 and v0', async (t) => {
  const clock = new FakeClock();
  const { agent, log } = scriptedOmetria(t, clock, new Set(['c1']));
  const server = await app(t, clock, agent, 0);
  const reason = (requestId: string) => `Ometria rejected this record (request_id ${requestId}, 0 accepted, 1 rejected): Invalid record c1 (at root > email)`;
  t.strictSame(jobs(await proxy(server, proxyBody(['c1']), 10_000)), [`400 ${reason('req-1')}`], 'v1');
  const v0 = await proxy(server, proxyBody(['c1'], 0), 10_000, 0);
  t.equal(v0.status, 400, 'v0: the HTTP status');
  t.equal(v0.body.output.message, reason('req-2'), 'v0: the message');
  t.strictSame(log, ['0 push c1', '0 look-up req-1', '0 push c1', '0 look-up req-2'], 'one look-up per push, no re-push');
});

t.test('_errors listing nothing for the push: the error says that Ometria gave no reason', async (t) => {
  const clock = new FakeClock();
  const { agent } = scriptedOmetria(t, clock, new Set(['c2']), false);
  const server = await app(t, clock, agent, 0);
  const answer = jobs(await proxy(server, proxyBody(['c1', 'c2']), 10_000));
  t.match(answer[0], /^200 Ometria accepted this record \(request_id req-\d\)$/);
  t.match(answer[1], /^400 Ometria rejected this record \(request_id req-1, 1 accepted, 1 rejected\); Ometria gave no reason \(its error list has nothing for this push\)$/);
});

t.test('the _errors look-up is bounded by the budget: when no slot comes in time, the rejected record is retried to read it', async (t) => {
  const clock = new FakeClock();
  const { agent, log } = scriptedOmetria(t, clock, new Set(['c1']));
  const server = await app(t, clock, agent, 1);
  // The push takes the one slot of the second; the look-up's would come at 1010, past the 500 ms budget.
  t.strictSame(jobs(await proxy(server, proxyBody(['c1']), 1000)), [
    '500 Ometria rejected this record (request_id req-1, 0 accepted, 1 rejected), but its reason could not be read ' +
      '(the rate limit had no slot for the look-up before the delivery deadline); retried so that it can be',
  ]);
  t.strictSame(log, ['0 push c1']);
  t.equal(clock.elapsed(), 0);
});

t.test('re-pushes are planned within the budget: those it does not allow are not made, and their records are retried', async (t) => {
  const bad = new Set(['c8']);
  const run = async (timeoutMs: number) => {
    const clock = new FakeClock();
    const { agent, log } = scriptedOmetria(t, clock, bad);
    const server = await app(t, clock, agent, 1);
    const ids = Array.from({ length: 8 }, (_, i) => `c${i + 1}`);
    return { answer: jobs(await proxy(server, proxyBody(ids), timeoutMs)), log };
  };
  // 10 s: room for everything. One push a second: the re-pushes and the look-up follow one a second.
  const full = await run(10_000);
  // c8 is found by counts alone; the first push rejected only it, so its errors are c8's: no push of c8 by itself.
  t.strictSame(full.log, ['0 push c1,c2,c3,c4,c5,c6,c7,c8', '1010 push c1,c2,c3,c4', '2020 push c5,c6', '3030 push c7', '4040 look-up req-1']);
  t.strictSame(full.answer.map((j) => j.slice(0, 3)), [...Array<string>(7).fill('200'), '400']);
  t.equal(full.answer[7], '400 Ometria rejected this record (request_id req-1, 7 accepted, 1 rejected): Invalid record c8 (at root > email)');
  // 3.5 s (a 3 s budget): a re-push needs room for its answer and a look-up (50 + 1010 + 50 ms), so
  // the last one may start at 1890: the one at 1010 is made, the one at 2020 is not.
  const short = await run(3500);
  t.strictSame(short.log, ['0 push c1,c2,c3,c4,c5,c6,c7,c8', '1010 push c1,c2,c3,c4']);
  t.strictSame(short.answer.map((j) => j.slice(0, 3)), [...Array<string>(4).fill('200'), ...Array<string>(4).fill('500')]);
  t.match(
    short.answer[4],
    /^500 Ometria rejected 1 of 8 records of this push \(request_id req-1, status OK\); it does not say which: see GET \/v2\/push\/_errors \(not told apart: the time left before the delivery deadline did not allow another re-push; whether this record was accepted is not known, so it is retried\)$/,
  );
});
