/**
 * The erasure store holds hashes and fingerprints only (SPEC §8): after jobs went through the app
 * (one half done, one done, one with a lost answer's claim), the SQLite file read back (every
 * table and column, and the raw bytes of the file and its WAL) and the Postgres schema (when
 * TEST_POSTGRES_URL is set) hold neither an address, in any case, nor the key. Each dump is first
 * shown to hold what it should (the person hash, the key's fingerprint), so an empty read cannot pass.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import t, { type Test } from 'tap';
import type { ErasureStore } from '../../src/core/erasure/erasure-store.js';
import { keyFingerprint, personHash } from '../../src/core/erasure/people.js';
import { openErasureStore } from '../../src/store/open-erasure-store.js';
import { storeFolder } from '../helpers/app.js';
import { deleteUsers, erasureApp, job } from '../helpers/erasure.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { call, withMock } from '../helpers/mock-client.js';
import { postgresUrl, testPostgresUrl } from '../helpers/postgres.js';

const KEY = 'sk-Live-Erasure-Key-7f3a9c';
const ADDRESS = 'Secret.Person@Example.COM';
const SECRETS = [ADDRESS.toLowerCase(), 'secret.person', 'other.person@example.org', 'lost.person@example.net', KEY.toLowerCase()];

/** A job whose first person is ADDRESS and 7 more, so that the window (6) leaves some waiting. */
const users = [
  { userId: 'u0', email: `  ${ADDRESS} ` },
  { userId: 'u0b', EMAIL: ADDRESS.toUpperCase() },
  { userId: 'u1', email: 'other.person@example.org' },
  ...Array.from({ length: 6 }, (_, i) => ({ userId: `x${i}`, email: `x${i}@example.com` })),
];

/** What a store holds: its rows as text, and (SQLite) the raw bytes of its files, deleted rows included. */
interface Snapshot {
  readonly rows: string;
  readonly raw: string;
}

/** Runs the jobs through an app on `store`; snapshots `dump()` at each stage (half done, done, a lost answer's claim). */
async function runJobs(t: Test, store: ErasureStore, dump: () => Promise<Snapshot>): Promise<Snapshot[]> {
  const clock = new FakeClock();
  const mock = await withMock(t, { clock: clock.now });
  const app = await erasureApp(t, clock, mock, { store, env: { DELETION_WAIT_MS: '5000' } });
  const snapshots: Snapshot[] = [];
  const first = await deleteUsers(app, job('job-half', users, { apiKey: KEY }));
  t.equal(first.status, 500, 'half done: people rows are in the store');
  snapshots.push(await clock.during(dump()));
  await clock.sleep(70_000);
  const second = await deleteUsers(app, job('job-half', users, { apiKey: KEY }));
  t.equal(second.status, 200, 'done: only the completion is kept');
  snapshots.push(await clock.during(dump()));
  const lostOn = await clock.during(call(mock, 'PUT', '/_control/deletions', { lostAnswerRate: 1 }));
  t.equal(lostOn.status, 200);
  const third = await deleteUsers(app, job('job-lost', [{ userId: 'l1', email: 'Lost.Person@example.net' }], { apiKey: KEY }));
  t.equal(third.status, 500, "a lost answer: the person's claim stands");
  snapshots.push(await clock.during(dump()));
  return snapshots;
}

function checkSnapshots(t: Test, snapshots: readonly Snapshot[]): void {
  const [half, done, lost] = snapshots.map((snapshot) => snapshot.rows) as [string, string, string];
  t.match(half, personHash('job-half', ADDRESS), "the person's hash is there while the job is under way");
  t.match(half, keyFingerprint(KEY), "the key's fingerprint is there (its rate window)");
  t.notMatch(done, personHash('job-half', ADDRESS), "a job answered 200 keeps no person's row");
  t.match(done, 'job-half', 'its completion is kept');
  t.match(lost, personHash('job-lost', 'lost.person@example.net'), 'the claim of the lost answer is there');
  snapshots.forEach((snapshot, i) => {
    const text = `${snapshot.rows}\n${snapshot.raw}`.toLowerCase();
    for (const secret of SECRETS) t.notOk(text.includes(secret), `snapshot ${i}: no ${secret === KEY.toLowerCase() ? 'key' : 'address'} (${secret})`);
  });
}

t.test('the SQLite file holds no address and no key, in its tables or its bytes', async (t) => {
  const file = join(storeFolder(t), 'erasure.sqlite');
  const store = await openErasureStore(file);
  t.teardown(() => store.close());
  const dump = async (): Promise<Snapshot> => {
    const db = new Database(file, { readonly: true });
    try {
      const tables = db.prepare<[], { name: string; sql: string | null }>("SELECT name, sql FROM sqlite_master").all();
      const lines = tables.map((table) => `${table.name}: ${table.sql ?? ''}`);
      for (const { name } of tables.filter((table) => table.sql?.startsWith('CREATE TABLE'))) {
        for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]) {
          lines.push(`${name} ${Object.entries(row).map(([column, value]) => `${column}=${String(value)}`).join(' ')}`);
        }
      }
      // Every byte too: what was deleted may linger in free pages or the WAL.
      const raw = [file, `${file}-wal`, `${file}-shm`].filter((path) => existsSync(path)).map((path) => readFileSync(path).toString('latin1'));
      return { rows: lines.join('\n'), raw: raw.join('\n') };
    } finally {
      db.close();
    }
  };
  checkSnapshots(t, await runJobs(t, store, dump));
});

// Without TEST_POSTGRES_URL this is skipped; test/postgres-notice.mjs says so once for the run.
t.test('the Postgres schema holds no address and no key', { skip: testPostgresUrl === undefined && 'TEST_POSTGRES_URL unset' }, async (t) => {
  const url = (await postgresUrl(t)) as string;
  const store = await openErasureStore(url);
  t.teardown(() => store.close());
  const dump = async (): Promise<Snapshot> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows: tables } = await client.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name',
      );
      t.ok(tables.length >= 4, `the store's tables are in the schema (${tables.map((row) => row.table_name).join(', ')})`);
      const lines: string[] = [];
      for (const { table_name: name } of tables) {
        const { rows } = await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${name}" t`);
        lines.push(...rows.map((row) => `${name} ${row.row}`));
      }
      return { rows: lines.join('\n'), raw: '' };
    } finally {
      await client.end();
    }
  };
  checkSnapshots(t, await runJobs(t, store, dump));
});
