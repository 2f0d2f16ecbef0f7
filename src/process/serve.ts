import closeWithGrace from 'close-with-grace';
import cluster from 'node:cluster';
import { buildApp } from '../app/app.js';
import type { AppConfig } from '../config.js';
import { allowedOrigins } from '../http/ometria-settings.js';
import { clusterMetricsText } from '../observability/cluster-metrics.js';
import { Metrics } from '../observability/metrics.js';

/**
 * Builds the app and listens. SIGTERM/SIGINT close it gracefully: no new connections, in-flight
 * requests (and the deliveries inside them) finish, then the process exits; after
 * SHUTDOWN_GRACE_MS it exits anyway. An uncaught error takes the same path, with exit code 1.
 * Once listening, one `ready` line at info says where it listens and where it sends data.
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
  // The bound address as is (listen() answers one of the interfaces behind 0.0.0.0).
  const bound = app.server.address();
  const listening =
    bound === null || typeof bound === 'string'
      ? config.HOST
      : `http://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`;
  // Where this process sends data, by origin only: the URLs were checked at start-up to carry no
  // path or user:password, and .origin would drop them anyway. proxyOrigins only when
  // OMETRIA_PROXY_ORIGINS adds some to Ometria's.
  app.log.info(
    {
      listening,
      ometria: new URL(config.OMETRIA_API_URL).origin,
      ...(config.OMETRIA_PROXY_ORIGINS.length > 0 ? { proxyOrigins: [...allowedOrigins(config)] } : {}),
      upstream: config.UPSTREAM_TRANSFORMER_URL === '' ? 'none' : new URL(config.UPSTREAM_TRANSFORMER_URL).origin,
    },
    'ready',
  );
}
