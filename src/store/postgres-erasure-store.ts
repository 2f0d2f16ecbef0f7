import pg from 'pg';
import type { ClaimOutcome, ErasureStore, PersonRef, RateWindow } from '../core/erasure/erasure-store.js';
import { ErasureStoreError, reasonOf } from './erasure-store-error.js';
import { waitUntil } from './rate-window.js';

// The erasure store for replicas: one Postgres database shared by every instance. Loaded only
// when DELETION_STORE is a postgres URL (open-erasure-store.ts imports it on demand), so an
// SQLite deployment never loads `pg`. Times are the callers' epoch ms in BIGINT columns, never
// the database's now(): the service (and its tests) run on an injected clock.

/** Advisory-lock ids. The migration lock is one bigint; claims lock (class, hash) pairs, a separate space. */
const MIGRATION_LOCK = 7_305_198_465_014_731; // arbitrary; never change it (old and new builds must agree)
const PERSON_LOCK_CLASS = 1_869_441_125; // arbitrary, one class per kind of thing locked
const KEY_LOCK_CLASS = 1_869_441_126;

/** A small pool: each call is a few short statements, and several replicas share the server. */
const POOL_SIZE = 4;
const CONNECT_TIMEOUT_MS = 10_000;

/** The schema, one entry per version (`erasure_schema_version` holds how many have run). */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE erasure_people (
    dest_type   TEXT   NOT NULL,
    job_id      TEXT   NOT NULL,
    person      TEXT   NOT NULL,
    state       TEXT   NOT NULL CHECK (state IN ('claimed', 'accepted')),
    claim_until BIGINT,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (dest_type, job_id, person)
  );
  CREATE INDEX erasure_people_updated_at ON erasure_people (updated_at);
  CREATE TABLE erasure_starts (
    key       TEXT   NOT NULL,
    at        BIGINT NOT NULL,
    window_ms BIGINT NOT NULL
  );
  CREATE INDEX erasure_starts_key_at ON erasure_starts (key, at);
  CREATE TABLE erasure_holds (
    key        TEXT   NOT NULL PRIMARY KEY,
    hold_until BIGINT NOT NULL
  );
  CREATE TABLE erasure_completions (
    dest_type  TEXT   NOT NULL,
    job_id     TEXT   NOT NULL,
    keep_until BIGINT NOT NULL,
    PRIMARY KEY (dest_type, job_id)
  );
  `,
];

/** Where the database is, as it may be shown: `postgres://user@host:port/db`, no password. */
function describe(url: URL): string {
  const user = url.username === '' ? '' : `${decodeURIComponent(url.username)}@`;
  return `${url.protocol}//${user}${url.hostname}:${url.port || '5432'}${url.pathname}`;
}

/** Connects to and migrates the database at `location` (a postgres:// or postgresql:// URL). */
export async function openPostgresErasureStore(location: string): Promise<ErasureStore> {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw new ErasureStoreError('is not a valid postgres://user:password@host:port/database URL');
  }
  const password = decodeURIComponent(url.password);
  // The driver's messages do not quote the password, but a message is masked anyway before it is shown.
  const reason = (error: unknown): string => {
    const text = reasonOf(error);
    return password === '' ? text : text.replaceAll(password, '***');
  };
  const where = `${url.hostname}:${url.port || '5432'}${url.pathname}${url.username === '' ? '' : ` as ${decodeURIComponent(url.username)}`}`;

  const pool = new pg.Pool({ connectionString: location, max: POOL_SIZE, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle connection that dies (a server restart) is dropped by the pool and replaced on the next
  // call, which fails by itself if the server is still gone: nothing to do here but not crash.
  pool.on('error', () => undefined);

  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end();
    throw new ErasureStoreError(`cannot connect to Postgres at ${where}: ${reason(error)}`);
  }
  try {
    await migrate(client);
  } catch (error) {
    client.release(true);
    await pool.end();
    throw new ErasureStoreError(`cannot create the erasure tables in Postgres at ${where}: ${reason(error)}`);
  }
  client.release();
  return new PostgresErasureStore(pool, describe(url));
}

/**
 * Brings the schema to this build's version, under a transaction-scoped advisory lock so that
 * replicas starting together queue and the later ones find the work done. The version row is
 * rewritten on every start, so a start that succeeds has proven it can write.
 */
async function migrate(client: pg.PoolClient): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS erasure_schema_version (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM erasure_schema_version');
    const version = rows[0]?.version ?? 0;
    if (version > MIGRATIONS.length) {
      throw new Error(`its schema version ${version} is newer than this build's (${MIGRATIONS.length}): run the newer build`);
    }
    for (const step of MIGRATIONS.slice(version)) await client.query(step);
    await client.query('DELETE FROM erasure_schema_version');
    await client.query('INSERT INTO erasure_schema_version (version) VALUES ($1)', [MIGRATIONS.length]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

interface PersonRow {
  readonly state: 'claimed' | 'accepted';
  /** BIGINT: pg returns it as a string. */
  readonly claim_until: string | null;
}

class PostgresErasureStore implements ErasureStore {
  readonly #pool: pg.Pool;

  constructor(
    pool: pg.Pool,
    readonly description: string,
  ) {
    this.#pool = pool;
  }

  /** `work` in one transaction on one connection, rolled back if it throws. */
  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      // A connection that cannot even roll back is not given back to the pool.
      const broken = await client.query('ROLLBACK').then(
        () => false,
        () => true,
      );
      client.release(broken);
      throw error;
    }
  }

  async isComplete(destType: string, jobId: string, now: number): Promise<boolean> {
    const { rowCount } = await this.#pool.query(
      'SELECT 1 FROM erasure_completions WHERE dest_type = $1 AND job_id = $2 AND keep_until > $3',
      [destType, jobId, now],
    );
    return rowCount !== null && rowCount > 0;
  }

  async acceptedOf(destType: string, jobId: string, persons: readonly string[]): Promise<ReadonlySet<string>> {
    const { rows } = await this.#pool.query<{ person: string }>(
      "SELECT person FROM erasure_people WHERE dest_type = $1 AND job_id = $2 AND state = 'accepted'",
      [destType, jobId],
    );
    const accepted = new Set(rows.map((row) => row.person));
    return new Set(persons.filter((person) => accepted.has(person)));
  }

  /**
   * Serialised per person and per key by transaction-scoped advisory locks (always person, then
   * key, so two claims never wait on each other in a cycle): what is read under them cannot change
   * before the claim is written, on any replica. The write still refuses to turn an acceptance back
   * into a claim, since `accept` takes no lock.
   */
  async claim(ref: PersonRef, rate: RateWindow, now: number, claimUntil: number): Promise<ClaimOutcome> {
    return this.#transaction(async (client) => {
      await client.query(
        `SELECT pg_advisory_xact_lock($1, hashtext($3::text || E'\\n' || $4::text || E'\\n' || $5::text)),
                pg_advisory_xact_lock($2, hashtext($6::text))`,
        [PERSON_LOCK_CLASS, KEY_LOCK_CLASS, ref.destType, ref.jobId, ref.person, rate.key],
      );
      const { rows } = await client.query<PersonRow>(
        'SELECT state, claim_until FROM erasure_people WHERE dest_type = $1 AND job_id = $2 AND person = $3',
        [ref.destType, ref.jobId, ref.person],
      );
      const row = rows[0];
      if (row?.state === 'accepted') return { kind: 'accepted' } as const;
      if (row?.claim_until != null && Number(row.claim_until) > now) return { kind: 'held', until: Number(row.claim_until) } as const;
      // A completed job's people rows are gone: its completion says they were all accepted. Read
      // after the person's row, so a completion committed between the two reads is seen here.
      const completed = await client.query('SELECT 1 FROM erasure_completions WHERE dest_type = $1 AND job_id = $2 AND keep_until > $3', [
        ref.destType,
        ref.jobId,
        now,
      ]);
      if (completed.rowCount !== 0) return { kind: 'accepted' } as const;

      await client.query('DELETE FROM erasure_starts WHERE key = $1 AND at + window_ms <= $2', [rate.key, now]);
      const hold = await client.query<{ hold_until: string }>('SELECT hold_until FROM erasure_holds WHERE key = $1', [rate.key]);
      const starts = await client.query<{ at: string }>('SELECT at FROM erasure_starts WHERE key = $1 AND at > $2 ORDER BY at', [
        rate.key,
        now - rate.windowMs,
      ]);
      const holdUntil = hold.rows[0] === undefined ? undefined : Number(hold.rows[0].hold_until);
      const until = waitUntil(
        rate,
        now,
        holdUntil,
        starts.rows.map((start) => Number(start.at)),
      );
      if (until !== undefined) return { kind: 'wait', until } as const;

      const written = await client.query(
        `INSERT INTO erasure_people (dest_type, job_id, person, state, claim_until, updated_at)
         VALUES ($1, $2, $3, 'claimed', $4, $5)
         ON CONFLICT (dest_type, job_id, person) DO UPDATE
         SET state = 'claimed', claim_until = EXCLUDED.claim_until, updated_at = EXCLUDED.updated_at
         WHERE erasure_people.state <> 'accepted'`,
        [ref.destType, ref.jobId, ref.person, claimUntil, now],
      );
      if (written.rowCount === 0) return { kind: 'accepted' } as const;
      await client.query('INSERT INTO erasure_starts (key, at, window_ms) VALUES ($1, $2, $3)', [rate.key, now, rate.windowMs]);
      return { kind: 'claimed' } as const;
    });
  }

  async accept(ref: PersonRef, now: number): Promise<void> {
    await this.#pool.query(
      `INSERT INTO erasure_people (dest_type, job_id, person, state, claim_until, updated_at)
       VALUES ($1, $2, $3, 'accepted', NULL, $4)
       ON CONFLICT (dest_type, job_id, person) DO UPDATE
       SET state = 'accepted', claim_until = NULL, updated_at = EXCLUDED.updated_at`,
      [ref.destType, ref.jobId, ref.person, now],
    );
  }

  async release(ref: PersonRef, claimUntil: number): Promise<void> {
    await this.#pool.query(
      "DELETE FROM erasure_people WHERE dest_type = $1 AND job_id = $2 AND person = $3 AND state = 'claimed' AND claim_until = $4",
      [ref.destType, ref.jobId, ref.person, claimUntil],
    );
  }

  async holdKey(key: string, until: number): Promise<void> {
    // A hold only ever moves later: a short Retry-After does not cut a longer backoff short.
    await this.#pool.query(
      `INSERT INTO erasure_holds (key, hold_until) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET hold_until = GREATEST(erasure_holds.hold_until, EXCLUDED.hold_until)`,
      [key, until],
    );
  }

  async complete(destType: string, jobId: string, now: number, keepUntil: number, retentionMs: number): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query('DELETE FROM erasure_people WHERE dest_type = $1 AND job_id = $2', [destType, jobId]);
      await client.query(
        `INSERT INTO erasure_completions (dest_type, job_id, keep_until) VALUES ($1, $2, $3)
         ON CONFLICT (dest_type, job_id) DO UPDATE SET keep_until = EXCLUDED.keep_until`,
        [destType, jobId, keepUntil],
      );
      await client.query('DELETE FROM erasure_completions WHERE keep_until <= $1', [now]);
      await client.query('DELETE FROM erasure_people WHERE updated_at < $1', [now - retentionMs]);
      await client.query('DELETE FROM erasure_starts WHERE at + window_ms <= $1', [now]);
      await client.query('DELETE FROM erasure_holds WHERE hold_until <= $1', [now]);
    });
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
