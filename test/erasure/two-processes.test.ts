/**
 * Two real processes of the service on ONE SQLite file serve the same job at once (SPEC §8: the
 * processes of one instance share the file, so claims and the rate window hold across them). The
 * built server (`npm run build`) in real time, so the window is made cheap to reason about instead
 * of waited out: 8 people, the service at 4 a minute (the mock at its 6), DELETION_WAIT_MS 3 s. Whatever the interleaving, the
 * two together send at most 4 in the first window and nobody twice; the assertions are on counts,
 * never on which process sent whom. The same again with WORKERS=2 (cluster mode: one process,
 * two workers on one file).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { request } from 'undici';
import { NO_SHEDDING, storeFolder } from '../helpers/app.js';
import { job, mostInWindow, people, receivedDeletions } from '../helpers/erasure.js';
import { withMock } from '../helpers/mock-client.js';
import type { RunningMockOmetria } from '../../src/mock-ometria/start.js';
import { startBuilt, type BuiltServer } from '../server/built-server.js';

const ROOT = new URL('../../', import.meta.url);
// The compiled files this test is about (startBuilt checks the process files): a build older than
// its sources would test old code.
const ERASURE_SOURCES = [
  'src/core/erasure/erasure-service',
  'src/core/erasure/erasure-lane',
  'src/core/erasure/people',
  'src/store/sqlite-erasure-store',
  'src/store/rate-window',
  'routes/delete-users',
  'src/app/app',
];

function assertErasureBuilt(): void {
  for (const file of ERASURE_SOURCES) {
    const built = statSync(new URL(`dist/${file}.js`, ROOT), { throwIfNoEntry: false });
    if (built === undefined || built.mtimeMs < statSync(new URL(`${file}.ts`, ROOT)).mtimeMs) {
      throw new Error(`dist/${file}.js is missing or older than ${file}.ts: run npm run build first`);
    }
  }
}

/** The built service (`npm run build`), healthy before it returns; killed after the test. */
async function startService(t: Test, env: Record<string, string>): Promise<BuiltServer> {
  const server = await startBuilt({ ...NO_SHEDDING, LOG_LEVEL: 'warn', ...env });
  t.teardown(async () => {
    server.signal('SIGKILL');
    await server.exited;
  });
  return server;
}

/** The worker's call on a connection of its own: status and its one result, the status checked against the result before the body is read. */
async function deleteUsersOver(url: string, body: unknown): Promise<{ status: number; error?: string }> {
  const res = await request(`${url}/deleteUsers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), reset: true });
  const parsed = (await res.body.json()) as { statusCode: number; error?: string }[];
  if (!Array.isArray(parsed) || parsed.length !== 1 || parsed[0]?.statusCode !== res.statusCode) throw new Error(`not the worker's answer shape for HTTP ${res.statusCode}`);
  return { status: res.statusCode, ...(parsed[0].error === undefined ? {} : { error: parsed[0].error }) };
}

/** The service's settings here: a window of 4 a minute, answers after 3 s. */
const serviceEnv = (t: Test, mockUrl: string): Record<string, string> => ({
  DELETION_STORE: join(storeFolder(t), 'erasure.sqlite'),
  OMETRIA_API_URL: mockUrl,
  DELETION_WAIT_MS: '3000',
  OMETRIA_DELETION_RATE_PER_MINUTE: '4',
});

/**
 * The same 8-people job sent to `urls` at once, twice (as the worker's retry would), all within
 * the first window: every call answers (500: 8 cannot go at 4 a minute), at most 4 arrive at the
 * mock between them, nobody twice, no address in any process's output.
 */
async function sameJobAtOnce(t: Test, mock: RunningMockOmetria, urls: readonly string[], servers: readonly BuiltServer[]): Promise<void> {
  const started = Date.now();
  const body = job('j8', people(8));
  const answers = await Promise.all(urls.map((url) => deleteUsersOver(url, body)));
  for (const answer of answers) {
    t.equal(answer.status, 500, 'every call answers: 8 people cannot go at 4 a minute');
    t.match(answer.error, /^[0-4] of 8 people sent to Ometria; [4-8] waiting/);
  }
  // Again, as the worker's retry would: still within the first window, nothing more can go.
  const again = await Promise.all(urls.map((url) => deleteUsersOver(url, body)));
  for (const answer of again) t.equal(answer.status, 500);

  const received = await receivedDeletions(mock);
  t.ok(Date.now() - started < 55_000, 'still within the first window when the mock is read');
  t.ok(received.length >= 1 && received.length <= 4, `at most 4 arrived in the first window, all processes together (${received.length})`);
  t.strictSame(received.filter((r) => r.status !== 202).map((r) => r.status), [], 'each one accepted, none refused for the rate');
  const emails = received.map((r) => r.email);
  t.equal(new Set(emails).size, emails.length, `nobody sent twice: ${emails.join(', ')}`);
  t.ok(
    emails.every((email) => people(8).some((p) => p.email === email)),
    'only people of the job',
  );
  const output = servers.map((server) => server.tail() + JSON.stringify(server.lines())).join('\n');
  t.notMatch(output, /@example\.com/, 'no address in any process output');
}

t.test('two processes on one SQLite file, the same 8-people job at once: nobody twice, at most 4 in the first window', async (t) => {
  assertErasureBuilt();
  const mock = await withMock(t);
  const env = serviceEnv(t, mock.url);
  // Started together: both create and migrate the same new file.
  const [a, b] = await Promise.all([startService(t, env), startService(t, env)]);
  await sameJobAtOnce(t, mock, [a.url, b.url], [a, b]);
});

t.test('cluster mode: two workers of one process on one SQLite file, the same job on several connections at once', async (t) => {
  assertErasureBuilt();
  const mock = await withMock(t);
  const server = await startService(t, { ...serviceEnv(t, mock.url), WORKERS: '2' });
  // Four calls on connections of their own: the primary hands connections to the workers in turn.
  await sameJobAtOnce(t, mock, [server.url, server.url, server.url, server.url], [server]);
});
