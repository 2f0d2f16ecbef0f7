import cluster, { type Worker } from 'node:cluster';
import { pino } from 'pino';
import { loggerOptions } from '../app/logger.js';
import type { AppConfig } from '../config.js';
import { serveClusterMetrics } from '../observability/cluster-metrics.js';

// A worker dying this soon after it started is probably broken, not unlucky: slow the restarts.
const QUICK_DEATH_MS = 5000;

/**
 * The primary of WORKERS processes sharing one port (node's cluster module): it serves no
 * requests, restarts workers that die, aggregates their metrics, and passes SIGTERM/SIGINT on so
 * every worker drains before the primary exits.
 */
export function runPrimary(config: AppConfig, workers: number): void {
  const log = pino(loggerOptions(config, process.stdout.isTTY));
  let stopping = false;
  let restartDelay = 0;
  const started = new Map<Worker, number>();
  const fork = () => started.set(cluster.fork(), Date.now());

  serveClusterMetrics();
  for (let i = 0; i < workers; i++) fork();

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker) ?? 0);
    started.delete(worker);
    if (stopping) {
      if (started.size === 0) process.exit(0);
      return;
    }
    restartDelay = lived < QUICK_DEATH_MS ? Math.min(30_000, Math.max(500, restartDelay * 2)) : 0;
    log.error({ pid: worker.process.pid, code, signal, restartInMs: restartDelay }, 'worker died; restarting');
    setTimeout(fork, restartDelay);
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, workers: started.size }, 'stopping workers');
    for (const worker of started.keys()) worker.process.kill(signal);
    // Workers exit by themselves after their grace period; this is the backstop.
    setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS + 2000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
