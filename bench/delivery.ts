import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Delivery through the v1 proxy against direct-style sending (rudder-server POSTing stored batches
 * itself), as test/delivery/proxy-under-load.test.ts measures it: 20 rudder-server-like router
 * workers, RdProxy-Timeout 10000, the mock Ometria at 8 pushes a second with rejection rules. That
 * run is bound by Ometria's rate and rudder-server's retry timing, not by CPU, so it is not one of
 * the throughput servers: the bench runs the test as it is and reports what it printed.
 */
export interface DeliveryRates {
  readonly line: string;
  readonly proxy: number;
  readonly direct: number;
}

const RATES = /proxy (\d+) events\/s .*direct-style (\d+) events\/s/;

export function measureDelivery(): DeliveryRates {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const run = spawnSync(
    'npx',
    ['tap', '--disable-coverage', '--reporter=tap', '--grep=20 router workers', 'test/delivery/proxy-under-load.test.ts'],
    { cwd: root, encoding: 'utf8', timeout: 600_000 },
  );
  const line = run.stdout.split('\n').map((l) => l.trim().replace(/^#\s*/, '')).find((l) => RATES.test(l));
  const match = line === undefined ? null : RATES.exec(line);
  if (run.status !== 0 || line === undefined || match === null) {
    throw new Error(`the delivery run failed (exit ${String(run.status)}): ${run.stdout.slice(-2000)}${run.stderr.slice(-1000)}`);
  }
  return { line, proxy: Number(match[1]), direct: Number(match[2]) };
}
