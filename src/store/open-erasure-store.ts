import type { ErasureStore } from '../core/erasure/erasure-store.js';
import { openSqliteErasureStore } from './sqlite-erasure-store.js';

/**
 * The erasure store `DELETION_STORE` names, opened and checked (connected, schema migrated, proven
 * writable), or an `ErasureStoreError` naming the variable and what failed: a bad store stops the
 * service at start-up, not at the first erasure. A postgres:// or postgresql:// URL is Postgres
 * (imported only then, so an SQLite deployment never loads `pg`); anything else is an SQLite path.
 */
export async function openErasureStore(location: string): Promise<ErasureStore> {
  if (/^postgres(ql)?:\/\//i.test(location)) {
    const { openPostgresErasureStore } = await import('./postgres-erasure-store.js');
    return openPostgresErasureStore(location);
  }
  return openSqliteErasureStore(location);
}
