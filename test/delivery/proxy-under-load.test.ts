/**
 * The delivery proxy under load, as rudder-server drives it (docs/RUDDERSTACK.md §10, §11):
 * concurrent router workers take up to 20 jobs each, run them through the service's router
 * transform, and post every stored batch to the v1 proxy with `RdProxy-Timeout: 10000`, retrying
 * jobs answered 408/429/5xx with exponential backoff and aborting those answered another 4xx. The
 * mock Ometria allows 8 pushes a second per key and rejects chosen records. Every rejected record
 * must end aborted with Ometria's reason for it, every other one delivered; none other aborted.
 *
 * The same jobs are also delivered "direct-style", as rudder-server does without the proxy: each
 * batch POSTed as stored straight to the mock (a 2xx counts as delivered, whatever its counts say).
 * Both rates are printed (events/s); nothing here depends on the machine's speed.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import type { RunningMockOmetria } from '../../src/mock-ometria/start.js';
import { testApp } from '../helpers/app.js';
import { deliveryEnv, mixedEvents, mockStats, storedIds } from '../helpers/delivery.js';
import { withMock } from '../helpers/mock-client.js';
import { postProxy, proxyRequestBody } from '../helpers/proxy.js';

type Json = Record<string, any>;

/** Jobs per router transform request (rudder-server's default); a job's retry waits, doubling, scaled down to keep the test short. */
const JOBS_PER_REQUEST = 20;
const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 4000;
const OMETRIA_PUSHES_PER_SECOND = 8;
/** A job still failing after this many attempts ends the run's wait for it (the test then fails on it). */
const GIVE_UP_AFTER = 30;

interface Job {
  readonly jobId: number;
  readonly input: Json;
  attempts: number;
  readyAt: number;
}

interface Outcome {
  readonly status: number;
  readonly error: string | undefined;
  readonly attempts: number;
}

interface RunResult {
  readonly outcomes: Map<number, Outcome>;
  readonly seconds: number;
  readonly retries: number;
}

const retryable = (status: number) => status === 408 || status === 429 || status >= 500 || status < 200;

/** Exponential backoff, doubling from the minimum up to the maximum, as rudder-server's router spaces a job's retries. */
function backoff(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** (attempts - 1));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `workers` router workers deliver `inputs` (router transform inputs) until every job has a final
 * status. `deliver` sends one stored batch and answers each of its jobs' status and error.
 */
async function runRouter(
  app: FastifyInstance,
  inputs: readonly Json[],
  workers: number,
  deliver: (item: Json) => Promise<Map<number, { status: number; error: string | undefined }>>,
): Promise<RunResult> {
  const waiting: Job[] = inputs.map((input) => ({ jobId: input.metadata.jobId as number, input, attempts: 0, readyAt: 0 }));
  const outcomes = new Map<number, Outcome>();
  let retries = 0;
  const started = performance.now();
  const now = () => performance.now() - started;
  // rudder-server spreads jobs over its workers (by user): each takes its share, at most 20 at a time.
  const share = Math.min(JOBS_PER_REQUEST, Math.ceil(inputs.length / workers));
  const take = (): Job[] => {
    const ready = waiting.filter((job) => job.readyAt <= now()).slice(0, share);
    for (const job of ready) waiting.splice(waiting.indexOf(job), 1);
    return ready;
  };
  let inFlight = 0;
  const worker = async () => {
    while (outcomes.size < inputs.length) {
      const jobs = take();
      if (jobs.length === 0) {
        if (waiting.length === 0 && inFlight === 0) return;
        await sleep(20);
        continue;
      }
      inFlight += 1;
      try {
        const input = jobs.map((job) => ({ ...job.input, metadata: { ...job.input.metadata, attemptNum: job.attempts } }));
        const routed = await app.inject({ method: 'POST', url: '/routerTransform', payload: { input, destType: 'ometria' } });
        // rudder-server: a router transform answered other than 200 (e.g. a 503 while the service
        // sheds load) makes every job a 500, retried.
        const items = routed.statusCode === 200 ? (routed.json() as { output: Json[] }).output : [];
        const answered = new Map<number, { status: number; error: string | undefined }>();
        for (const item of items) {
          const statuses =
            item.batched === true
              ? await deliver(item)
              : new Map((item.metadata as Json[]).map((m) => [m.jobId as number, { status: item.statusCode as number, error: item.error as string }]));
          for (const [jobId, status] of statuses) answered.set(jobId, status);
        }
        for (const job of jobs) {
          // rudder-server: a job missing from the answer is a 500.
          const { status, error } = answered.get(job.jobId) ?? { status: 500, error: 'Response for this job is expected but not found' };
          job.attempts += 1;
          if (retryable(status) && job.attempts < GIVE_UP_AFTER) {
            retries += 1;
            job.readyAt = now() + backoff(job.attempts);
            waiting.push(job);
          } else {
            outcomes.set(job.jobId, { status, error, attempts: job.attempts });
          }
        }
      } finally {
        inFlight -= 1;
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return { outcomes, seconds: now() / 1000, retries };
}

/** With the proxy: the stored batch goes to /v1/destinations/ometria/proxy; each job has its own entry. */
const viaProxy = (app: FastifyInstance) => async (item: Json) => {
  const answer = await postProxy(app, 1, proxyRequestBody(item, 1));
  // An answer without `output` (a 503 while shedding load, …): no job is answered, so each is a 500.
  const response = (answer.body.output?.response ?? []) as Json[];
  return new Map(response.map((r) => [r.metadata.jobId as number, { status: r.statusCode as number, error: JSON.parse(r.error as string) as string }]));
};

/** Without it: rudder-server sends the stored batch itself and judges the answer by its status alone. */
const direct = async (item: Json) => {
  const request = item.batchedRequest as Json;
  let status: number;
  let error: string | undefined;
  try {
    const res = await fetch(request.endpoint as string, {
      method: 'POST',
      headers: { ...(request.headers as Record<string, string>), 'User-Agent': 'RudderLabs' },
      body: request.body.JSON_ARRAY.batch as string,
    });
    const text = await res.text();
    [status, error] = [res.status, res.ok ? undefined : text];
  } catch (err) {
    // No answer: rudder-server retries (a 5xx of its own).
    [status, error] = [599, String(err)];
  }
  return new Map((item.metadata as Json[]).map((m) => [m.jobId as number, { status, error }]));
};

/** `count` valid router events (identify, custom event and order in turn; identify only when `contactsOnly`). */
function workload(count: number, contactsOnly: boolean) {
  const { input, invalid } = mixedEvents(contactsOnly ? 4 * count : 2 * count);
  const valid = input.filter((e) => !invalid.has(e.metadata.jobId) && (!contactsOnly || e.metadata.jobId % 3 === 0)).slice(0, count);
  const idOf = (jobId: number) => {
    const message = valid.find((e) => e.metadata.jobId === jobId)?.message as Json;
    return message.type === 'identify' ? `L${jobId}` : message.event === 'Order Completed' ? `o-${jobId}` : `m-${jobId}`;
  };
  // Every 70th record is rejected by the mock's rule.
  const rejected = new Map(valid.filter((_, i) => i % 70 === 35).map((e) => [e.metadata.jobId, idOf(e.metadata.jobId)]));
  const stored = (prefix: string) =>
    valid
      .map((e) => idOf(e.metadata.jobId))
      .filter((id) => id.startsWith(prefix) && ![...rejected.values()].includes(id))
      .sort();
  return { input: valid as Json[], rejected, stored: { contact: stored('L'), custom_event: stored('m-'), order: stored('o-') } };
}

async function mockAtOmetriasRate(t: Test, rejectedIds: readonly string[]): Promise<RunningMockOmetria> {
  return withMock(t, { rejections: { ids: [...rejectedIds] }, faults: { rateLimitPerSecond: OMETRIA_PUSHES_PER_SECOND } });
}

const rate = (events: number, seconds: number) => Math.round(events / seconds);

/** The service as deployed: its own limit of 8 pushes a second per key, Ometria's retries. */
const serviceEnv = (url: string) =>
  deliveryEnv(url, { OMETRIA_RATE_LIMIT: String(OMETRIA_PUSHES_PER_SECOND), OMETRIA_MAX_ATTEMPTS: '5', OMETRIA_RETRY_BASE_MS: '250', OMETRIA_RETRY_MAX_MS: '2000' });

/** Every rejected record aborted with Ometria's reason for it, every other one delivered and stored. */
async function checkProxied(t: Test, run: RunResult, mock: RunningMockOmetria, work: ReturnType<typeof workload>): Promise<void> {
  const { input, rejected, stored } = work;
  t.equal(run.outcomes.size, input.length, 'every job has a final status');
  const aborted = [...run.outcomes].filter(([, o]) => o.status !== 200);
  t.strictSame(
    aborted.map(([jobId]) => jobId).sort((a, b) => a - b),
    [...rejected.keys()].sort((a, b) => a - b),
    'exactly the rejected records are aborted',
  );
  for (const [jobId, outcome] of aborted) {
    const id = rejected.get(jobId) ?? '?';
    t.equal(outcome.status, 400, `job ${jobId} (${id}): 400`);
    t.match(
      outcome.error,
      new RegExp(`^Ometria rejected this record \\(request_id [0-9a-f-]{36}, \\d+ accepted, 1 rejected\\): Record rejected by the mock's rejection rule \\(id ${id}\\) \\(at root > id\\)$`),
      `job ${jobId}: Ometria's reason for ${id}`,
    );
  }
  for (const type of ['contact', 'custom_event', 'order'] as const) {
    t.strictSame(await storedIds(mock, type), stored[type], `${type}: every accepted record stored`);
  }
}

t.test('20 router workers, 300 events, Ometria at 8 pushes/s: only the rejected records are aborted, each with its reason; proxy and direct-style rates', async (t) => {
  const work = workload(300, false);
  t.ok(work.rejected.size >= 4, `${work.rejected.size} records rejected by rule`);
  const mock = await mockAtOmetriasRate(t, [...work.rejected.values()]);
  const app = await testApp(t, serviceEnv(mock.url));
  const proxied = await runRouter(app, work.input, 20, viaProxy(app));
  await checkProxied(t, proxied, mock, work);

  const directMock = await mockAtOmetriasRate(t, [...work.rejected.values()]);
  const directApp = await testApp(t, deliveryEnv(directMock.url));
  const straight = await runRouter(directApp, work.input, 20, direct);
  t.ok([...straight.outcomes.values()].every((o) => o.status >= 200 && o.status < 300), 'direct-style: every job "succeeded" (a 2xx, rejections unseen)');

  const proxyRate = rate(work.input.length, proxied.seconds);
  const directRate = rate(work.input.length, straight.seconds);
  t.comment(
    `20 workers, ${work.input.length} events: proxy ${proxyRate} events/s (${proxied.seconds.toFixed(1)} s, ${proxied.retries} job retries); ` +
      `direct-style ${directRate} events/s (${straight.seconds.toFixed(1)} s, ${straight.retries} job retries); direct/proxy ${(directRate / proxyRate).toFixed(2)}`,
  );
});

t.test('64 router workers in flight (rudder-server’s default), one push each: over the rate limit, nothing accepted is aborted', async (t) => {
  // 64 pushes at once at 8/s: the last would wait 8 s of the 9.5 s budget. Those whose wait leaves
  // no room are answered 429 at once and come back after their backoff; isolation goes first.
  const work = workload(192, true);
  const mock = await mockAtOmetriasRate(t, [...work.rejected.values()]);
  const app = await testApp(t, serviceEnv(mock.url));
  const proxied = await runRouter(app, work.input, 64, viaProxy(app));
  await checkProxied(t, proxied, mock, work);
  const stats = await mockStats(mock);
  t.comment(
    `64 workers, ${work.input.length} contacts: proxy ${rate(work.input.length, proxied.seconds)} events/s (${proxied.seconds.toFixed(1)} s, ${proxied.retries} job retries; ` +
      `${stats.pushes} pushes reached the mock, ${stats.responses['429'] ?? 0} of them answered 429)`,
  );
});
