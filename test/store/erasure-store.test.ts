import t, { type Test } from 'tap';
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { ErasureStore, PersonRef, RateWindow } from '../../src/core/erasure/erasure-store.js';
import { ErasureStoreError, reasonOf } from '../../src/store/erasure-store-error.js';
import { openErasureStore } from '../../src/store/open-erasure-store.js';
import { postgresUrl, testPostgresUrl } from '../helpers/postgres.js';
import { RACE_LIMIT, RACE_PEOPLE, RACE_START, RACE_WINDOW_MS, race, type RaceReport } from './fixtures/claim-race.js';

// The erasure store's semantics, one suite run against both implementations (SQLite always,
// Postgres when TEST_POSTGRES_URL names one), then what each adds: a restart, processes or
// instances racing, bad locations. Every time is passed in; nothing here reads the wall clock.

const T = 1_700_000_000_000;
const DAY = 86_400_000;
const D = 'OMETRIA';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
/** A person as the service names one: the job id and the lower-cased address, hashed. */
const personOf = (jobId: string, email: string): string => sha256(`${jobId}\n${email.toLowerCase()}`);
const ref = (jobId: string, email: string): PersonRef => ({ destType: D, jobId, person: personOf(jobId, email) });
const rate = (apiKey: string, limit = 6, windowMs = 60_000): RateWindow => ({ key: sha256(apiKey), limit, windowMs });

const CLAIMED = { kind: 'claimed' } as const;
const ACCEPTED = { kind: 'accepted' } as const;
const held = (until: number) => ({ kind: 'held', until }) as const;
const wait = (until: number) => ({ kind: 'wait', until }) as const;

interface Backend {
  readonly name: string;
  /** A new, empty store location for `t` (a path in its own folder, a schema of its own). */
  fresh(t: Test): Promise<string>;
  /** Every row of every table at `location`, each row as one text, by table. */
  tables(location: string): Promise<Record<string, string[]>>;
  /** The bytes on disk, where there are files to read. */
  files?(location: string): Buffer[];
  /** Makes recording a window start of `windowMs` fail, behind the store's back (a fault part-way through a claim). */
  refuseStarts(location: string, windowMs: number): Promise<void>;
}

async function opened(t: Test, location: string): Promise<ErasureStore> {
  const store = await openErasureStore(location);
  t.teardown(() => store.close());
  return store;
}

/** The error `promise` rejects with (a test failure if it resolves). */
async function failure(t: Test, promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  t.type(outcome, ErasureStoreError);
  return outcome instanceof Error ? outcome : new Error('resolved');
}

const sqlite: Backend = {
  name: 'SQLite',
  fresh: async (t) => join(t.testdir(), 'erasure.sqlite'),
  tables: async (location) => {
    const db = new Database(location, { readonly: true });
    try {
      const names = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
      return Object.fromEntries(
        names.map((name) => [name, db.prepare<[], unknown[]>(`SELECT * FROM "${name}"`).raw().all().map((row) => row.map(String).join('|'))]),
      );
    } finally {
      db.close();
    }
  },
  files: (location) => [location, `${location}-wal`].filter((file) => existsSync(file)).map((file) => readFileSync(file)),
  refuseStarts: async (location, windowMs) => {
    const db = new Database(location);
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON erasure_starts WHEN NEW.window_ms = ${windowMs} BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    db.close();
  },
};

const postgres: Backend = {
  name: 'Postgres',
  fresh: async (t) => (await postgresUrl(t)) ?? '',
  tables: async (location) => {
    const client = new pg.Client({ connectionString: location });
    await client.connect();
    try {
      const names = await client.query<{ name: string }>(
        'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()',
      );
      const tables: Record<string, string[]> = {};
      for (const { name } of names.rows) {
        const rows = await client.query<{ row: string }>(`SELECT r::text AS row FROM "${name}" r`);
        tables[name] = rows.rows.map((row) => row.row);
      }
      return tables;
    } finally {
      await client.end();
    }
  },
  refuseStarts: async (location, windowMs) => {
    const client = new pg.Client({ connectionString: location });
    await client.connect();
    await client.query(`ALTER TABLE erasure_starts ADD CONSTRAINT refuse CHECK (window_ms <> ${windowMs})`);
    await client.end();
  },
};

function semantics(t: Test, backend: Backend): void {
  const store = async (t: Test) => opened(t, await backend.fresh(t));

  t.test('a claim is held for other callers until claimUntil, then another may claim', async (t) => {
    const s = await store(t);
    const a = ref('job-1', 'a@example.com');
    const key = rate('key');
    t.same(await s.claim(a, key, T, T + 1000), CLAIMED);
    t.same(await s.claim(a, key, T + 1, T + 2000), held(T + 1000));
    t.same(await s.claim(a, key, T + 999, T + 2000), held(T + 1000));
    t.same(await s.claim(a, key, T + 1000, T + 3000), CLAIMED, 'expired at claimUntil');
    t.same(await s.claim(a, key, T + 1001, T + 4000), held(T + 3000));
  });

  t.test('release drops a claim at once; accept is for good and release does not undo it', async (t) => {
    const s = await store(t);
    const a = ref('job-1', 'a@example.com');
    const key = rate('key');
    t.same(await s.claim(a, key, T, T + 60_000), CLAIMED);
    await s.release(a, T + 60_000);
    t.same(await s.claim(a, key, T + 1, T + 60_000), CLAIMED);
    await s.accept(a, T + 2);
    t.same(await s.claim(a, key, T + 3, T + 60_000), ACCEPTED);
    await s.release(a, T + 60_000);
    t.same(await s.claim(a, key, T + 100 * DAY, T + 101 * DAY), ACCEPTED);
  });

  t.test("release drops only its own claim: one taken since by another caller, after it expired, stays", async (t) => {
    const s = await store(t);
    const a = ref('job-1', 'a@example.com');
    const key = rate('key');
    t.same(await s.claim(a, key, T, T + 1000), CLAIMED);
    t.same(await s.claim(a, key, T + 1000, T + 5000), CLAIMED, 'the first claim expired: another takes it');
    await s.release(a, T + 1000);
    t.same(await s.claim(a, key, T + 1001, T + 9000), held(T + 5000), "the late release left the other's claim");
    await s.release(a, T + 5000);
    t.same(await s.claim(a, key, T + 1002, T + 9000), CLAIMED);
  });

  t.test('acceptedOf names the accepted among those asked, in that job and destination only', async (t) => {
    const s = await store(t);
    const [a, b, c, x] = ['a@example.com', 'b@example.com', 'c@example.com', 'x@example.com'].map((email) => ref('job-1', email)) as [
      PersonRef,
      PersonRef,
      PersonRef,
      PersonRef,
    ];
    await s.accept(a, T);
    await s.accept(b, T);
    t.same(await s.claim(c, rate('key'), T, T + 1000), CLAIMED);
    await s.accept(ref('job-2', 'x@example.com'), T);
    const asked = [a, b, c, x].map((r) => r.person);
    t.same([...(await s.acceptedOf(D, 'job-1', asked))].sort(), [a.person, b.person].sort());
    t.same([...(await s.acceptedOf(D, 'job-1', [b.person]))], [b.person]);
    t.same([...(await s.acceptedOf(D, 'job-1', []))], []);
    t.same([...(await s.acceptedOf('OTHER', 'job-1', asked))], []);
  });

  t.test('the window: limit starts per key in any windowMs; the next waits until the oldest leaves, to the ms', async (t) => {
    const s = await store(t);
    const key = rate('key', 3, 60_000);
    const p = (n: number) => ref('job-1', `p${n}@example.com`);
    t.same(await s.claim(p(1), key, T, T + 1000), CLAIMED);
    t.same(await s.claim(p(2), key, T + 10, T + 1000), CLAIMED);
    t.same(await s.claim(p(3), key, T + 20, T + 1000), CLAIMED);
    t.same(await s.claim(p(4), key, T + 30, T + 1000), wait(T + 60_000));
    t.same(await s.claim(p(4), key, T + 59_999, T + 61_000), wait(T + 60_000));
    t.same(await s.claim(p(4), key, T + 60_000, T + 61_000), CLAIMED, 'the oldest start has left');
    t.same(await s.claim(p(5), key, T + 60_000, T + 61_000), wait(T + 60_010));
    t.same(await s.claim(p(5), key, T + 60_010, T + 61_000), CLAIMED);
    t.same(await s.claim(p(6), key, T + 60_019, T + 61_000), wait(T + 60_020));
    t.same(await s.claim(p(6), rate('another key', 3, 60_000), T + 60_019, T + 61_000), CLAIMED, 'a wait recorded no claim; keys are apart');
    const tight = rate('tight key', 1, 60_000);
    t.same(await s.claim(p(7), tight, T, T + 1000), CLAIMED);
    await s.release(p(7), T + 1000);
    t.same(await s.claim(p(7), tight, T + 1, T + 1000), wait(T + 60_000), 'a released claim still counts: its request may have gone');
  });

  t.test('holdKey: no start before until, for anyone; a shorter hold does not shorten it; held and full, the later', async (t) => {
    const s = await store(t);
    const key = rate('key', 2, 60_000);
    const p = (n: number) => ref('job-1', `p${n}@example.com`);
    await s.holdKey(key.key, T + 5000);
    t.same(await s.claim(p(1), key, T, T + 1000), wait(T + 5000));
    await s.holdKey(key.key, T + 1000);
    t.same(await s.claim(p(1), key, T + 1, T + 1000), wait(T + 5000));
    t.same(await s.claim(p(1), key, T + 5000, T + 6000), CLAIMED);
    t.same(await s.claim(p(2), key, T + 5001, T + 6000), CLAIMED);
    await s.holdKey(key.key, T + 10_000);
    t.same(await s.claim(p(3), key, T + 6000, T + 7000), wait(T + 65_000), 'the window ends after the hold');
    await s.holdKey(key.key, T + 70_000);
    t.same(await s.claim(p(3), key, T + 6000, T + 7000), wait(T + 70_000), 'the hold ends after the window');
    t.same(await s.claim(p(3), rate('another key'), T + 6000, T + 7000), CLAIMED);
  });

  t.test('accepted comes before held, held before wait', async (t) => {
    const s = await store(t);
    const key = rate('key', 1, 60_000);
    const [a, b, c] = ['a', 'b', 'c'].map((name) => ref('job-1', `${name}@example.com`)) as [PersonRef, PersonRef, PersonRef];
    t.same(await s.claim(a, key, T, T + 1000), CLAIMED);
    await s.accept(a, T + 1);
    t.same(await s.claim(b, rate('another key'), T, T + 1000), CLAIMED);
    await s.holdKey(key.key, T + 9000);
    t.same(await s.claim(a, key, T + 2, T + 1000), ACCEPTED);
    t.same(await s.claim(b, key, T + 2, T + 1000), held(T + 1000));
    t.same(await s.claim(c, key, T + 2, T + 1000), wait(T + 60_000));
  });

  t.test('a claim that fails part-way leaves nothing behind, and the store goes on', async (t) => {
    const location = await backend.fresh(t);
    const s = await opened(t, location);
    const a = ref('job-1', 'a@example.com');
    await backend.refuseStarts(location, 12_345);
    await t.rejects(s.claim(a, rate('key', 6, 12_345), T, T + 1000));
    t.same(await s.claim(a, rate('key'), T + 1, T + 1000), CLAIMED, 'no claim was left by the failed one');
    t.same(await s.claim(a, rate('key'), T + 2, T + 1000), held(T + 1000));
  });

  t.test("complete: the job's rows go and its completion is kept until keepUntil", async (t) => {
    const location = await backend.fresh(t);
    const s = await opened(t, location);
    const a = ref('job-1', 'a@example.com');
    await s.accept(a, T);
    t.same(await s.claim(ref('job-1', 'b@example.com'), rate('key'), T, T + 1000), CLAIMED);
    t.notOk(await s.isComplete(D, 'job-1', T));
    await s.complete(D, 'job-1', T + 100, T + 100 + 30 * DAY, 7 * DAY);
    t.ok(await s.isComplete(D, 'job-1', T + 100));
    t.ok(await s.isComplete(D, 'job-1', T + 100 + 30 * DAY - 1));
    t.notOk(await s.isComplete(D, 'job-1', T + 100 + 30 * DAY), 'kept until keepUntil, not at it');
    t.notOk(await s.isComplete(D, 'job-2', T + 100));
    t.notOk(await s.isComplete('OTHER', 'job-1', T + 100));
    t.same([...(await s.acceptedOf(D, 'job-1', [a.person]))], []);
    t.same((await backend.tables(location)).erasure_people, [], "no row of the job's people is left");
    // Another process still holding one of its people must not send them again.
    t.same(await s.claim(a, rate('key'), T + 200, T + 2000), ACCEPTED, "a completed job's people are accepted");
    t.same(await s.claim(a, rate('key'), T + 100 + 30 * DAY, T + 100 + 30 * DAY + 1000), CLAIMED, 'until the completion is forgotten');
  });

  t.test('complete purges what is past: completions, people untouched for retentionMs, window starts, holds', async (t) => {
    const location = await backend.fresh(t);
    const s = await opened(t, location);
    const retention = 7 * DAY;
    await s.complete(D, 'old-job', T, T + 1000, retention);
    const stale = ref('job-s', 'stale@example.com');
    const fresh = ref('job-s', 'fresh@example.com');
    await s.accept(stale, T);
    await s.accept(fresh, T + retention);
    t.same(await s.claim(ref('job-c', 'c@example.com'), rate('key'), T, T + 1000), CLAIMED);
    await s.holdKey(sha256('past hold'), T + 500);
    await s.holdKey(sha256('live hold'), T + 10 * retention);
    t.ok(await s.isComplete(D, 'old-job', T), 'there before the purge');
    t.equal((await backend.tables(location)).erasure_starts?.length, 1);

    await s.complete(D, 'new-job', T + retention + 1, T + retention + 1 + DAY, retention);
    t.notOk(await s.isComplete(D, 'old-job', T), 'gone, even when asked with a time before its keepUntil');
    t.ok(await s.isComplete(D, 'new-job', T + retention + 1));
    t.same([...(await s.acceptedOf(D, 'job-s', [stale.person, fresh.person]))], [fresh.person], 'the stale acceptance went, the fresh stayed');
    const tables = await backend.tables(location);
    t.equal(tables.erasure_people?.length, 1, 'the stale claim went too');
    t.same(tables.erasure_starts, []);
    t.equal(tables.erasure_holds?.length, 1);
    t.match(tables.erasure_holds?.[0], sha256('live hold'));
    t.equal(tables.erasure_completions?.length, 1);
  });

  t.test('the store holds no address and no key: every cell of every table read back', async (t) => {
    const location = await backend.fresh(t);
    const s = await opened(t, location);
    const email = 'Jane.Doe+gdpr@Example.co.uk';
    const apiKey = 'om-live-4f9c2b7e1d8a6053SECRET';
    const key = rate(apiKey);
    const jane = ref('job-7', email);
    t.same(await s.claim(jane, key, T, T + 1000), CLAIMED);
    await s.accept(jane, T + 1);
    t.same(await s.claim(ref('job-7', 'John@Example.com'), key, T + 2, T + 1000), CLAIMED);
    await s.holdKey(key.key, T + 5000);
    await s.complete(D, 'job-6', T + 3, T + DAY, DAY);

    const tables = await backend.tables(location);
    const text = JSON.stringify(tables);
    t.ok(text.includes(jane.person), 'the dump holds the person hash: it reads the rows');
    t.ok(text.includes(key.key), 'and the key fingerprint');
    t.ok(text.includes('job-6'));
    for (const secret of [email, email.toLowerCase(), 'jane.doe', 'john@example.com', 'example.co', apiKey, 'SECRET']) {
      t.notOk(text.toLowerCase().includes(secret.toLowerCase()), `no ${secret} in any table`);
      for (const bytes of backend.files?.(location) ?? []) t.notOk(bytes.includes(secret), `no ${secret} in the files`);
    }
  });
}

t.test('SQLite', async (t) => semantics(t, sqlite));

t.test('SQLite: reopening the file keeps everything (a restart)', async (t) => {
  const location = join(t.testdir(), 'erasure.sqlite');
  const key = rate('key', 2, 60_000);
  const [a, b, c] = ['a', 'b', 'c'].map((name) => ref('job-1', `${name}@example.com`)) as [PersonRef, PersonRef, PersonRef];
  const first = await openErasureStore(location);
  t.same(await first.claim(a, key, T, T + 10_000), CLAIMED);
  await first.accept(a, T + 1);
  t.same(await first.claim(b, key, T + 2, T + 10_000), CLAIMED);
  await first.holdKey(sha256('held'), T + 5000);
  await first.complete(D, 'job-0', T + 3, T + DAY, DAY);
  await first.close();

  const second = await opened(t, location);
  t.equal(second.description, location);
  t.same(await second.claim(a, key, T + 4, T + 10_000), ACCEPTED);
  t.same(await second.claim(b, key, T + 4, T + 10_000), held(T + 10_000));
  t.same(await second.claim(c, key, T + 4, T + 10_000), wait(T + 60_000), 'the window survived');
  t.same(await second.claim(c, rate('held'), T + 4, T + 10_000), wait(T + 5000), 'the hold survived');
  t.ok(await second.isComplete(D, 'job-0', T + 4));
});

t.test('SQLite: the folders are created; an unwritable or bad path fails at open, naming DELETION_STORE', async (t) => {
  const dir = t.testdir({ 'a-file': 'not a folder', 'a-folder': {} });
  const nested = join(dir, 'new', 'deeper', 'erasure.sqlite');
  const store = await opened(t, nested);
  t.ok(existsSync(nested));
  t.equal(store.description, nested);

  const underFile = join(dir, 'a-file', 'erasure.sqlite');
  const notDir = await failure(t, openErasureStore(underFile));
  t.match(notDir.message, new RegExp(`^DELETION_STORE: cannot open the SQLite file ${underFile}: .*(ENOTDIR|EEXIST)`));

  const isDir = await failure(t, openErasureStore(join(dir, 'a-folder')));
  t.match(isDir.message, /^DELETION_STORE: cannot open the SQLite file .*a-folder: /);

  const notSqlite = join(dir, 'a-file');
  t.match((await failure(t, openErasureStore(notSqlite))).message, /^DELETION_STORE: cannot open the SQLite file .*a-file: .*not a database/);
});

t.test("SQLite: a file from a newer build's schema is refused", async (t) => {
  const location = join(t.testdir(), 'erasure.sqlite');
  await (await openErasureStore(location)).close();
  const db = new Database(location);
  db.pragma('user_version = 99');
  db.close();
  t.match((await failure(t, openErasureStore(location))).message, /^DELETION_STORE: cannot open the SQLite file .*schema version 99 is newer/);
});

t.test("a failure's reason is one line: its code, unless its message says it, and its message or its parts'", async (t) => {
  const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
  const both = Object.assign(new AggregateError([refused('::1:5432'), refused('127.0.0.1:5432')], ''), { code: 'ECONNREFUSED' });
  t.equal(reasonOf(both), 'connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432');
  t.equal(reasonOf(Object.assign(new Error('password authentication failed'), { code: '28P01' })), '28P01 password authentication failed');
  t.equal(reasonOf(new Error('plain')), 'plain');
  t.equal(reasonOf('a string thrown'), 'a string thrown');
});

/** Checks two sides' race reports: every person claimed once in all, the window never exceeded. */
function checkRace(t: Test, reports: readonly RaceReport[]): void {
  for (const phase of ['sameKey', 'ownKey'] as const) {
    const claimed = reports.flatMap((report) => report[phase]);
    t.equal(claimed.length, RACE_PEOPLE, `${phase}: ${RACE_PEOPLE} claims in all`);
    const split = reports.map((report) => report[phase].length).join(' + ');
    t.equal(new Set(claimed).size, RACE_PEOPLE, `${phase}: each person claimed exactly once (${split})`);
  }
  const starts = reports.flatMap((report) => report.tight);
  t.equal(starts.length, RACE_LIMIT, `the tight window: exactly ${RACE_LIMIT} starts in all, all steps being inside one window`);
  t.equal(new Set(starts.map((start) => start.person)).size, starts.length, 'no person twice');
  for (const { at } of starts) {
    const inWindow = starts.filter((other) => other.at <= at && other.at > at - RACE_WINDOW_MS).length;
    t.ok(inWindow <= RACE_LIMIT, `at most ${RACE_LIMIT} starts in the window ending ${at - RACE_START} ms in`);
  }
  t.ok(starts.some((start) => start.at === RACE_START), 'the first step went');
}

t.test('SQLite: two processes on one new file race for the same people and one window', async (t) => {
  const location = join(t.testdir(), 'shared', 'erasure.sqlite');
  const racer = fileURLToPath(new URL('./fixtures/claim-racer.ts', import.meta.url));
  const sides = [0, 1].map((side) => {
    const child = fork(racer, [location, String(side)], {
      execArgv: process.execArgv,
      // The loader compiles as it does for the tests (tap's settings), without type-checking again.
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const messages: unknown[] = [];
    const next = () => new Promise<unknown>((resolve, reject) => {
      const take = () => resolve(messages.shift());
      if (messages.length > 0) return take();
      child.once('message', () => take());
      child.once('exit', (code) => reject(new Error(`racer ${side} exited ${code} early`)));
    });
    child.on('message', (message) => messages.push(message));
    t.teardown(() => void child.kill());
    return { child, next };
  });
  // Both open the new file together (each creates the schema, or finds it made), then race on one signal.
  t.same(await Promise.all(sides.map((side) => side.next())), ['ready', 'ready']);
  for (const side of sides) side.child.send('go');
  const reports = (await Promise.all(sides.map((side) => side.next()))) as RaceReport[];
  checkRace(t, reports);
});

// Without TEST_POSTGRES_URL these are left out; test/postgres-notice.mjs says so once for the run.
if (testPostgresUrl !== undefined) {
  const url = testPostgresUrl;
  t.test('Postgres', async (t) => semantics(t, postgres));

  t.test('Postgres: the description has no password; a second open finds the schema made', async (t) => {
    const location = await postgres.fresh(t);
    const parsed = new URL(url);
    const first = await opened(t, location);
    t.equal(first.description, `postgres://${parsed.username}@${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`);
    t.notOk(parsed.password !== '' && first.description.includes(parsed.password));
    const other = await opened(t, location.replace(/^postgres:/, 'postgresql:'));
    t.same(await first.claim(ref('job-1', 'a@example.com'), rate('key'), T, T + 1000), CLAIMED);
    t.same(await other.claim(ref('job-1', 'a@example.com'), rate('key'), T + 1, T + 1000), held(T + 1000));
  });

  t.test('Postgres: bad credentials, a closed port, a bad URL fail at open, naming DELETION_STORE, never the password', async (t) => {
    const parsed = new URL(url);
    const wrong = new URL(url);
    wrong.password = 'Wrong-Pa55word-7f3e';
    const badPassword = await failure(t, openErasureStore(wrong.toString()));
    t.match(badPassword.message, `DELETION_STORE: cannot connect to Postgres at ${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname} as ${parsed.username}: `);
    t.match(badPassword.message, /password authentication failed/);

    const closed = new URL(wrong);
    // Imported here: the helper is not the store's, and unused it would count against coverage.
    const { freePort } = await import('../../bench/free-port.js');
    closed.port = String(await freePort());
    const refused = await failure(t, openErasureStore(closed.toString()));
    t.match(refused.message, new RegExp(`^DELETION_STORE: cannot connect to Postgres at ${parsed.hostname}:${closed.port}.*ECONNREFUSED`));

    const invalid = await failure(t, openErasureStore('postgres://someone:Wrong-Pa55word-7f3e@host:99999999/db'));
    t.match(invalid.message, /^DELETION_STORE: is not a valid postgres:/);

    for (const error of [badPassword, refused, invalid]) {
      t.notOk(error.message.includes('Wrong-Pa55word-7f3e'), `no password in: ${error.message}`);
      t.notOk(parsed.password !== '' && error.message.includes(parsed.password));
    }
  });

  t.test("Postgres: a schema from a newer build's is refused", async (t) => {
    const location = await postgres.fresh(t);
    await (await openErasureStore(location)).close();
    const client = new pg.Client({ connectionString: location });
    await client.connect();
    await client.query('UPDATE erasure_schema_version SET version = 99');
    await client.end();
    t.match(
      (await failure(t, openErasureStore(location))).message,
      /^DELETION_STORE: cannot create the erasure tables in Postgres at .*schema version 99 is newer/,
    );
  });

  t.test('Postgres: two instances opened together on a new schema race for the same people and one window', async (t) => {
    const location = await postgres.fresh(t);
    const stores = await Promise.all([opened(t, location), opened(t, location)]);
    checkRace(t, await Promise.all(stores.map((store, side) => race(store, side))));
  });
}
