import './heap-flags.js';
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { EnvError, loadConfig, type AppConfig } from '../config.js';
import { ErasureStoreError } from '../store/erasure-store-error.js';
import { openErasureStore } from '../store/open-erasure-store.js';

/** The service's entry point: the only file that starts listening (through serve()). */
function configOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

const config = configOrExit();
const workers = config.WORKERS === 0 ? availableParallelism() : config.WORKERS;
// Loaded on demand: a cluster primary serves no requests and needs none of the app.
// The primary checks the erasure store (created, migrated) before forking, so that a bad
// DELETION_STORE stops the start once instead of every worker dying in turn.
const start =
  workers > 1 && cluster.isPrimary
    ? openErasureStore(config.DELETION_STORE)
        .then((store) => store.close())
        .then(() => import('./cluster-primary.js'))
        .then(({ runPrimary }) => runPrimary(config, workers))
    : import('./serve.js').then(({ serve }) => serve(config));
start.catch((error: unknown) => {
  if (error instanceof ErasureStoreError) {
    // It names the variable and what failed, never a password: no stack needed.
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
