import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { ClaimOutcome, ErasureStore, PersonRef, RateWindow } from '../core/erasure/erasure-store.js';
import { ErasureStoreError, reasonOf } from './erasure-store-error.js';
import { waitUntil } from './rate-window.js';

// The embedded erasure store: one SQLite file shared by the processes of one instance (cluster
// mode). WAL lets readers and the one writer overlap; every read-modify-write runs in a
// `BEGIN IMMEDIATE` transaction, which takes the file's write lock before it reads, so two
// processes never decide on the same rows at once. better-sqlite3 is synchronous: each call is
// short (indexed rows), and the async interface just wraps it.

/** How long a process waits for another's write lock before the call fails (SQLITE_BUSY). */
const BUSY_TIMEOUT_MS = 5000;

/**
 * The schema, one entry per version (`PRAGMA user_version` is how many have run): a later change
 * is a new entry, never an edit of an old one. Only hashes, fingerprints and epoch-ms numbers.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE erasure_people (
    dest_type   TEXT    NOT NULL,
    job_id      TEXT    NOT NULL,
    person      TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('claimed', 'accepted')),
    claim_until INTEGER,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (dest_type, job_id, person)
  ) WITHOUT ROWID;
  CREATE INDEX erasure_people_updated_at ON erasure_people (updated_at);
  CREATE TABLE erasure_starts (
    key       TEXT    NOT NULL,
    at        INTEGER NOT NULL,
    window_ms INTEGER NOT NULL
  );
  CREATE INDEX erasure_starts_key_at ON erasure_starts (key, at);
  CREATE TABLE erasure_holds (
    key        TEXT    NOT NULL PRIMARY KEY,
    hold_until INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE erasure_completions (
    dest_type  TEXT    NOT NULL,
    job_id     TEXT    NOT NULL,
    keep_until INTEGER NOT NULL,
    PRIMARY KEY (dest_type, job_id)
  ) WITHOUT ROWID;
  `,
];

/**
 * Brings the file's schema to this build's version. Inside `BEGIN IMMEDIATE`: processes opening a
 * new file together queue on its write lock, and the second finds the work done. The version is
 * written on every open, so an open that succeeds has proven the file writable.
 */
function migrate(db: Database.Database): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new Error(`its schema version ${version} is newer than this build's (${MIGRATIONS.length}): run the newer build`);
    }
    for (const step of MIGRATIONS.slice(version)) db.exec(step);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

/** Opens (creating it and its folder if need be) and migrates the SQLite file at `path`. */
export async function openSqliteErasureStore(path: string): Promise<ErasureStore> {
  let db: Database.Database | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    db.pragma('journal_mode = WAL');
    migrate(db);
  } catch (error) {
    db?.close();
    throw new ErasureStoreError(`cannot open the SQLite file ${path}: ${reasonOf(error)}`);
  }
  return new SqliteErasureStore(db, path);
}

interface PersonRow {
  readonly state: 'claimed' | 'accepted';
  readonly claim_until: number | null;
}

class SqliteErasureStore implements ErasureStore {
  readonly #db: Database.Database;
  readonly #statements;
  readonly #claim;
  readonly #complete;

  constructor(
    db: Database.Database,
    readonly description: string,
  ) {
    this.#db = db;
    const s = {
      person: db.prepare<[string, string, string], PersonRow>(
        'SELECT state, claim_until FROM erasure_people WHERE dest_type = ? AND job_id = ? AND person = ?',
      ),
      accepted: db.prepare<[string, string], string>(
        "SELECT person FROM erasure_people WHERE dest_type = ? AND job_id = ? AND state = 'accepted'",
      ).pluck(),
      hold: db.prepare<[string], number>('SELECT hold_until FROM erasure_holds WHERE key = ?').pluck(),
      starts: db.prepare<[string, number], number>('SELECT at FROM erasure_starts WHERE key = ? AND at > ? ORDER BY at').pluck(),
      dropKeyStarts: db.prepare<[string, number]>('DELETE FROM erasure_starts WHERE key = ? AND at + window_ms <= ?'),
      addStart: db.prepare<[string, number, number]>('INSERT INTO erasure_starts (key, at, window_ms) VALUES (?, ?, ?)'),
      setPerson: db.prepare<[string, string, string, string, number | null, number]>(
        `INSERT INTO erasure_people (dest_type, job_id, person, state, claim_until, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (dest_type, job_id, person) DO UPDATE
         SET state = excluded.state, claim_until = excluded.claim_until, updated_at = excluded.updated_at`,
      ),
      release: db.prepare<[string, string, string, number]>(
        "DELETE FROM erasure_people WHERE dest_type = ? AND job_id = ? AND person = ? AND state = 'claimed' AND claim_until = ?",
      ),
      // A hold only ever moves later: a short Retry-After does not cut a longer backoff short.
      holdKey: db.prepare<[string, number]>(
        `INSERT INTO erasure_holds (key, hold_until) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET hold_until = max(hold_until, excluded.hold_until)`,
      ),
      isComplete: db.prepare<[string, string, number], number>(
        'SELECT 1 FROM erasure_completions WHERE dest_type = ? AND job_id = ? AND keep_until > ?',
      ).pluck(),
      dropJob: db.prepare<[string, string]>('DELETE FROM erasure_people WHERE dest_type = ? AND job_id = ?'),
      setCompletion: db.prepare<[string, string, number]>(
        `INSERT INTO erasure_completions (dest_type, job_id, keep_until) VALUES (?, ?, ?)
         ON CONFLICT (dest_type, job_id) DO UPDATE SET keep_until = excluded.keep_until`,
      ),
      purgeCompletions: db.prepare<[number]>('DELETE FROM erasure_completions WHERE keep_until <= ?'),
      purgePeople: db.prepare<[number]>('DELETE FROM erasure_people WHERE updated_at < ?'),
      purgeStarts: db.prepare<[number]>('DELETE FROM erasure_starts WHERE at + window_ms <= ?'),
      purgeHolds: db.prepare<[number]>('DELETE FROM erasure_holds WHERE hold_until <= ?'),
    };
    this.#statements = s;

    this.#claim = db.transaction((ref: PersonRef, rate: RateWindow, now: number, claimUntil: number): ClaimOutcome => {
      const row = s.person.get(ref.destType, ref.jobId, ref.person);
      if (row?.state === 'accepted') return { kind: 'accepted' };
      if (row?.claim_until != null && row.claim_until > now) return { kind: 'held', until: row.claim_until };
      // A completed job's people rows are gone: its completion says they were all accepted.
      if (s.isComplete.get(ref.destType, ref.jobId, now) !== undefined) return { kind: 'accepted' };
      s.dropKeyStarts.run(rate.key, now);
      const until = waitUntil(rate, now, s.hold.get(rate.key), s.starts.all(rate.key, now - rate.windowMs));
      if (until !== undefined) return { kind: 'wait', until };
      s.setPerson.run(ref.destType, ref.jobId, ref.person, 'claimed', claimUntil, now);
      s.addStart.run(rate.key, now, rate.windowMs);
      return { kind: 'claimed' };
    });

    this.#complete = db.transaction((destType: string, jobId: string, now: number, keepUntil: number, retentionMs: number) => {
      s.dropJob.run(destType, jobId);
      s.setCompletion.run(destType, jobId, keepUntil);
      s.purgeCompletions.run(now);
      s.purgePeople.run(now - retentionMs);
      s.purgeStarts.run(now);
      s.purgeHolds.run(now);
    });
  }

  async isComplete(destType: string, jobId: string, now: number): Promise<boolean> {
    return this.#statements.isComplete.get(destType, jobId, now) !== undefined;
  }

  async acceptedOf(destType: string, jobId: string, persons: readonly string[]): Promise<ReadonlySet<string>> {
    const accepted = new Set(this.#statements.accepted.all(destType, jobId));
    return new Set(persons.filter((person) => accepted.has(person)));
  }

  async claim(ref: PersonRef, rate: RateWindow, now: number, claimUntil: number): Promise<ClaimOutcome> {
    return this.#claim.immediate(ref, rate, now, claimUntil);
  }

  async accept(ref: PersonRef, now: number): Promise<void> {
    this.#statements.setPerson.run(ref.destType, ref.jobId, ref.person, 'accepted', null, now);
  }

  async release(ref: PersonRef, claimUntil: number): Promise<void> {
    this.#statements.release.run(ref.destType, ref.jobId, ref.person, claimUntil);
  }

  async holdKey(key: string, until: number): Promise<void> {
    this.#statements.holdKey.run(key, until);
  }

  async complete(destType: string, jobId: string, now: number, keepUntil: number, retentionMs: number): Promise<void> {
    this.#complete.immediate(destType, jobId, now, keepUntil, retentionMs);
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
