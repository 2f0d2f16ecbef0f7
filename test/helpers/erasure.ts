import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { DeliveryClient } from '../../src/core/delivery-client.js';
import type { ErasureStore } from '../../src/core/erasure/erasure-store.js';
import { loadConfig } from '../../src/config.js';
import { createHttpDeliveryClient } from '../../src/http/http-delivery-client-settings.js';
import type { RunningMockOmetria } from '../../src/mock-ometria/start.js';
import { openErasureStore } from '../../src/store/open-erasure-store.js';
import { storeFolder, testApp } from './app.js';
import type { FakeClock } from './fake-clock.js';
import { call } from './mock-client.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** A client whose requests hold the fake clock still while they are on the wire. */
export function heldClient(client: DeliveryClient, clock: FakeClock): DeliveryClient {
  return {
    post: (req) => clock.during(client.post(req)),
    get: (req) => clock.during(client.get(req)),
    now: () => client.now(),
    get deadlineMs() {
      return client.deadlineMs;
    },
    answerRoomMs: () => client.answerRoomMs(),
    slotIntervalMs: client.slotIntervalMs,
  };
}

/** A store whose every call holds the fake clock still (a Postgres query takes real time). */
export function heldStore(store: ErasureStore, clock: FakeClock): ErasureStore {
  return {
    description: store.description,
    isComplete: (...args) => clock.during(store.isComplete(...args)),
    acceptedOf: (...args) => clock.during(store.acceptedOf(...args)),
    claim: (...args) => clock.during(store.claim(...args)),
    accept: (...args) => clock.during(store.accept(...args)),
    release: (...args) => clock.during(store.release(...args)),
    holdKey: (...args) => clock.during(store.holdKey(...args)),
    complete: (...args) => clock.during(store.complete(...args)),
    close: () => store.close(),
  };
}

/** The store at `location` (an SQLite path or a Postgres URL; default an SQLite file in a fresh folder), closed after the test. */
export async function openedStore(t: Teardown, location = join(storeFolder(t), 'erasure.sqlite')): Promise<ErasureStore> {
  const store = await openErasureStore(location);
  t.teardown(() => store.close());
  return store;
}

export interface ErasureAppOptions {
  readonly env?: Record<string, string>;
  /** Default: a fresh SQLite store. */
  readonly store?: ErasureStore;
}

/**
 * The app erasing through the mock, in virtual time: its erasure client and waits on `clock`, the
 * mock's rate window on it too (start the mock with `clock: clock.now`), real sockets holding the
 * clock still.
 */
export async function erasureApp(t: Teardown, clock: FakeClock, mock: RunningMockOmetria, options: ErasureAppOptions = {}): Promise<FastifyInstance> {
  const env = { OMETRIA_API_URL: mock.url, OMETRIA_RETRY_BASE_MS: '1000', ...options.env };
  const client = createHttpDeliveryClient(loadConfig(env), { maxAttempts: 1, ratePerSecond: 0, clock });
  t.teardown(() => client.close());
  const store = heldStore(options.store ?? (await openedStore(t)), clock);
  return testApp(t, env, { erasureClients: new Map([['OMETRIA', heldClient(client, clock)]]), erasureStore: store, clock });
}

export interface UserAttributes {
  readonly userId: string;
  readonly [attribute: string]: string;
}

/** `count` people `p<i>@example.com` (userId `u<i>`), from `from`. */
export function people(count: number, from = 1, domain = 'example.com'): UserAttributes[] {
  return Array.from({ length: count }, (_, i) => ({ userId: `u${from + i}`, email: `p${from + i}@${domain}` }));
}

/** The worker's body for one job. */
export function job(jobId: string, userAttributes: unknown, config: Record<string, unknown> = { apiKey: 'key-1' }): unknown[] {
  return [{ jobId, destType: 'ometria', config, userAttributes }];
}

export interface DeleteAnswer {
  readonly status: number;
  readonly result: { statusCode: number; status?: string; error?: string };
}

/** POST /deleteUsers; the answer's status is checked against its one result before it is read. */
export async function deleteUsers(app: FastifyInstance, body: unknown): Promise<DeleteAnswer> {
  const res = await app.inject({ method: 'POST', url: '/deleteUsers', payload: body as object });
  const parsed = res.json() as DeleteAnswer['result'][];
  if (!Array.isArray(parsed) || parsed.length !== 1 || parsed[0]?.statusCode !== res.statusCode) {
    throw new Error(`not the worker's answer shape for HTTP ${res.statusCode}: ${res.body}`);
  }
  return { status: res.statusCode, result: parsed[0] };
}

/**
 * How many times the mock accepted each address, and every address it received, in order. With
 * `clock`, the look holds it still: a fetch takes real time, in which a lane's pending wait would
 * otherwise end and send more while the test is reading.
 */
export async function mockDeletions(mock: RunningMockOmetria, clock?: FakeClock): Promise<{ accepted: Record<string, number>; received: string[] }> {
  const look = call(mock, 'GET', '/_deletions');
  const res = await (clock === undefined ? look : clock.during(look));
  if (res.status !== 200) throw new Error(`GET /_deletions answered ${res.status}`);
  const body = res.body as { accepted: Record<string, number>; requests: { email?: string }[] };
  return { accepted: body.accepted, received: body.requests.map((r) => r.email ?? '') };
}

/** One request the mock's deletion route received, as GET /_deletions shows it, `at` its arrival in epoch ms. */
export interface ReceivedDeletion {
  readonly email: string | null;
  readonly keyFingerprint: string | null;
  readonly status: number | null;
  readonly outcome: 'answered' | 'dropped' | 'lost-answer';
  readonly accepted: boolean;
  readonly at: number;
}

/** Every request the mock's deletion route received, in arrival order; with `clock`, held still while it looks (see mockDeletions). */
export async function receivedDeletions(mock: RunningMockOmetria, clock?: FakeClock): Promise<ReceivedDeletion[]> {
  const look = call(mock, 'GET', '/_deletions');
  const res = await (clock === undefined ? look : clock.during(look));
  if (res.status !== 200) throw new Error(`GET /_deletions answered ${res.status}`);
  const body = res.body as { requests: (Omit<ReceivedDeletion, 'at'> & { receivedAt: string })[] };
  return body.requests.map(({ receivedAt, ...rest }) => ({ ...rest, at: Date.parse(receivedAt) }));
}

/** The most requests that arrived in any `windowMs` (a request at `at` counts while `at + windowMs` is later). */
export function mostInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while ((sorted[first] as number) + windowMs <= (sorted[last] as number)) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
