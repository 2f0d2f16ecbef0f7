import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Test } from 'tap';

/**
 * The Postgres the tests may use, from TEST_POSTGRES_URL (`.ci/run` starts one and sets it), or
 * undefined: the tests that need it are then skipped, and test/postgres-notice.mjs (run once
 * before the test files) says so in one line.
 */
export const testPostgresUrl: string | undefined = process.env.TEST_POSTGRES_URL?.trim() || undefined;

/** Runs one statement on the test database on a connection of its own. */
async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty schema in the test database, dropped when `t` ends: the URL returned connects
 * with it as the search_path, so the store's tables land there and tests never see each other's
 * rows. Undefined when TEST_POSTGRES_URL is unset. Close every store on it before `t` ends.
 */
export async function postgresUrl(t: Test): Promise<string | undefined> {
  if (testPostgresUrl === undefined) return undefined;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  t.teardown(() => adminQuery(`DROP SCHEMA ${schema} CASCADE`));
  const url = new URL(testPostgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}
