import closeWithGrace from 'close-with-grace';
import cluster from 'node:cluster';
import { buildApp } from './app.js';
import type { AppConfig } from './config.js';
import { clusterMetricsText } from './observability/cluster-metrics.js';
import { Metrics } from './observability/metrics.js';

/**
 * Builds the app and listens. SIGTERM/SIGINT close it gracefully: no new connections, in-flight
 * requests (and the deliveries inside them) finish, then the process exits; after
 * SHUTDOWN_GRACE_MS it exits anyway. An uncaught error takes the same path, with exit code 1.
 */
export async function serve(config: AppConfig): Promise<void> {
  const metrics = new Metrics();
  const app = await buildApp(config, {
    metrics,
    ...(cluster.isWorker ? { metricsText: clusterMetricsText(metrics.registry) } : {}),
  });
  closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS, logger: false }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'uncaught error: closing');
    else app.log.info({ signal }, 'closing: finishing in-flight requests');
    await app.close();
  });
  await app.listen({ port: config.PORT, host: config.HOST });
}
