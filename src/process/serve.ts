import closeWithGrace from 'close-with-grace';
import cluster from 'node:cluster';
import type { ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app/app.js';
import type { AppConfig } from '../config.js';
import { createRegistry } from '../destinations/index.js';
import { clusterMetricsText } from '../observability/cluster-metrics.js';
import { Metrics } from '../observability/metrics.js';
import { withoutPassword } from '../load-env.js';
import { isRetire } from './retire.js';

// Once the port stops accepting, a kept-alive connection has this long (at most half the grace)
// to bring its next request (answered, with `Connection: close`) before it is closed as idle. A
// client sending on it at the very moment it is closed would see a reset; one that keeps it busy
// never does.
const IDLE_LINGER_MS = 1000;

/**
 * Builds the app and listens. Once listening, one `ready` line at info says where it listens and
 * where it sends data.
 *
 * SIGTERM/SIGINT: GET /ready answers 503 at once and every answer carries `Connection: close`;
 * the port keeps serving for SHUTDOWN_DELAY_MS (a load balancer stops sending meanwhile), then
 * drains (below) and the process exits 0. After SHUTDOWN_DELAY_MS + SHUTDOWN_GRACE_MS it exits
 * anyway, with 1. An uncaught error drains at once and exits 1.
 *
 * Draining: the port stops accepting; kept-alive connections are served, not refused (each answer
 * closes its connection), for up to IDLE_LINGER_MS; then connections still idle are closed,
 * in-flight requests (and the deliveries inside them) finish, the app closes.
 *
 * In a cluster worker, the primary's retire message (a rolling restart, once this worker's
 * replacement listens) drains at once, within SHUTDOWN_GRACE_MS; /ready stays 200 (the instance
 * stays ready, only this worker leaves). SIGHUP is the primary's: a worker ignores it, and a single
 * process (WORKERS=1) logs that it has nothing to restart into.
 */
export async function serve(config: AppConfig): Promise<void> {
  let app: FastifyInstance | undefined;
  process.on('SIGHUP', () => {
    if (!cluster.isWorker) {
      app?.log.warn({ signal: 'SIGHUP' }, 'SIGHUP ignored: a restart without refused connections needs WORKERS of 2 or more');
    }
  });

  let ready = true;
  let closing = false;
  const metrics = new Metrics();
  const built = await buildApp(config, {
    metrics,
    ready: () => ready,
    ...(cluster.isWorker ? { metricsText: clusterMetricsText(metrics.registry) } : {}),
  });
  app = built;
  // Prepended, so the header is there before Fastify (which may answer synchronously) writes.
  built.server.prependListener('request', (_request, response: ServerResponse) => {
    if (closing) response.setHeader('connection', 'close');
  });

  const drain = async (): Promise<void> => {
    closing = true;
    const server = built.server;
    const drained = new Promise<void>((resolve) => server.once('close', () => resolve()));
    // net's close only stops accepting. http's (which app.close() calls) also closes the idle
    // kept-alive connections at once, which would reset a request a client is sending on one.
    NetServer.prototype.close.call(server);
    await Promise.race([drained, sleep(Math.min(IDLE_LINGER_MS, config.SHUTDOWN_GRACE_MS / 2), undefined, { ref: false })]);
    await built.close();
  };

  const closer = closeWithGrace(
    // SIGHUP is handled above; the backstop counts the drain delay too.
    { delay: config.SHUTDOWN_DELAY_MS + config.SHUTDOWN_GRACE_MS, logger: false, skip: ['SIGHUP'] },
    async ({ signal, err, manual }) => {
      if (err !== undefined) {
        ready = false;
        built.log.error({ err }, 'uncaught error: closing');
      } else if (manual === true) {
        // Only this worker leaves, the instance stays ready: /ready keeps answering 200 on the
        // connections it still serves, so a balancer probing through one sees no flap.
        built.log.info('retiring: the replacement worker listens; finishing in-flight requests');
        setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS).unref();
      } else {
        ready = false;
        if (config.SHUTDOWN_DELAY_MS > 0) {
          closing = true;
          built.log.info({ signal, delayMs: config.SHUTDOWN_DELAY_MS }, 'draining: /ready answers 503; still serving until the delay is over');
          await sleep(config.SHUTDOWN_DELAY_MS);
        }
        built.log.info({ signal }, 'closing: finishing in-flight requests');
      }
      await drain();
    },
  );
  if (cluster.isWorker) {
    process.on('message', (message: unknown) => {
      if (isRetire(message)) closer.close();
    });
  }

  await built.listen({ port: config.PORT, host: config.HOST });
  // The bound address as is (listen() answers one of the interfaces behind 0.0.0.0).
  const bound = built.server.address();
  const listening =
    bound === null || typeof bound === 'string'
      ? config.HOST
      : `http://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`;
  // Where this process sends data, by origin only: the URLs were checked at start-up to carry no
  // path or user:password, and .origin would drop them anyway. proxyOrigins only when
  // OMETRIA_PROXY_ORIGINS adds some to Ometria's.
  built.log.info(
    {
      listening,
      ometria: new URL(config.OMETRIA_API_URL).origin,
      ...(config.OMETRIA_PROXY_ORIGINS.length > 0 ? { proxyOrigins: proxyOrigins(config) } : {}),
      upstream: config.UPSTREAM_TRANSFORMER_URL === '' ? 'none' : new URL(config.UPSTREAM_TRANSFORMER_URL).origin,
      // A file path, or a database URL without its password.
      erasureStore: withoutPassword(config.DELETION_STORE),
    },
    'ready',
  );
}

/** Every origin the proxy routes may send to, of every destination's (each definition says its own). */
function proxyOrigins(config: AppConfig): string[] {
  return [...new Set(createRegistry(config).all().flatMap((def) => [...def.proxyOrigins(config)]))];
}
