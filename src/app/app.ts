import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Value } from '@sinclair/typebox/value';
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { deleteUsersRoutes } from '../../routes/delete-users.js';
import { deliverRoutes } from '../../routes/deliver.js';
import { metaRoutes } from '../../routes/meta.js';
import { passThroughRoutes } from '../../routes/pass-through.js';
import { proxyRoutes } from '../../routes/proxy.js';
import type { RouteClients, RouteDeps } from '../../routes/route-deps.js';
import { transformRoutes } from '../../routes/transform.js';
import { formats, registerFormats } from '../../schemas/formats.js';
import type { AppConfig } from '../config.js';
import { createRegistry } from '../destinations/index.js';
import type { DeliveryClient } from '../core/delivery-client.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { DestinationClients, DestinationDefinition, ErasureRules } from '../core/destination.js';
import type { ErasureStore } from '../core/erasure/erasure-store.js';
import { ErasureService } from '../core/erasure/erasure-service.js';
import { openErasureStore } from '../store/open-erasure-store.js';
import type { DestinationRegistry } from '../destinations/registry.js';
import { UpstreamClient } from '../http/upstream-client.js';
import { UpstreamForwarder } from '../http/upstream-forwarder.js';
import { registerLoadShedding } from '../observability/load-shedding.js';
import { Metrics } from '../observability/metrics.js';
import { registerRequestLogging } from '../observability/request-log.js';
import { errorHandler, frameworkErrorHandler } from './error-handler.js';
import { registerJsonBodies } from './json-body.js';
import { loggerOptions } from './logger.js';
import { registerOpenApi } from './openapi.js';
import { registerRequestDecoding } from './request-decoding.js';
import { readBuildInfo } from './version.js';

/** What tests (and the cluster entry) may swap in. */
export interface AppDeps {
  readonly registry?: DestinationRegistry;
  readonly logger?: FastifyBaseLogger;
  /**
   * Delivery clients by destination name, in place of those the definitions would build (tests:
   * a virtual clock, a mock dispatcher). The app closes only the clients it built.
   */
  readonly clients?: ReadonlyMap<string, DeliveryClient>;
  readonly metrics?: Metrics;
  /** The Prometheus text for /metrics; default: this process's metrics. */
  readonly metricsText?: () => Promise<string>;
  /** Whether /ready answers 200; default: always (the serving process turns it off on SIGTERM). */
  readonly ready?: () => boolean;
  /** Erasure clients by destination name, in place of those the definitions would build (tests). */
  readonly erasureClients?: ReadonlyMap<string, DeliveryClient>;
  /** The erasure store, in place of DELETION_STORE's (tests); the app does not close one it did not open. */
  readonly erasureStore?: ErasureStore;
  /** The clock erasures wait on (tests: virtual time); default the system's. */
  readonly clock?: Clock;
}

const canErase = (def: DestinationDefinition): def is DestinationDefinition & { readonly erasure: ErasureRules } => def.erasure !== undefined;

export async function buildApp(config: AppConfig, deps: AppDeps = {}): Promise<FastifyInstance> {
  registerFormats();
  const registry = deps.registry ?? createRegistry(config);
  const metrics = deps.metrics ?? new Metrics();
  const app = Fastify({
    ...(deps.logger === undefined ? { logger: loggerOptions(config, process.stdout.isTTY) } : { loggerInstance: deps.logger }),
    bodyLimit: config.BODY_LIMIT,
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    // A request that reaches a closing app on a kept-alive connection is served (with
    // `Connection: close`, below), not answered 503: closing drains, it does not refuse.
    return503OnClosing: false,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // One line per request comes from the onResponse hook (observability/request-log.ts).
    logController: new LogController({ disableRequestLogging: true }),
    // Errors raised before routing (a bad URL encoding, an over-long path parameter) answer in
    // the service's own shape too.
    frameworkErrors: frameworkErrorHandler,
    ajv: {
      // Nothing is stripped: unmapped traits are the data, metadata is echoed as is. Types are
      // coerced for the query string (`?explain=true`); the body schemas leave messages, metadata
      // and destinations open, so only envelope scalars (a numeric destType) could be coerced.
      customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: false, formats },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // While closing, answers carry `Connection: close` so keep-alive clients let go once their
  // in-flight request is answered: the server can only finish closing when every socket is gone.
  let closing = false;
  // Erasure calls waiting for Ometria's pace answer now (500 with their progress) instead of
  // holding the drain for up to DELETION_WAIT_MS; nothing more is sent, and the store closes (in
  // onClose) only once a request under way is answered and recorded.
  let erasuresClosed: Promise<unknown> = Promise.resolve();
  app.addHook('preClose', async () => {
    closing = true;
    erasuresClosed = Promise.all([...erasure.values()].map((service) => service.close()));
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });

  registerJsonBodies(app, config.UPSTREAM_TRANSFORMER_URL !== '');
  registerRequestDecoding(app);
  registerRequestLogging(app, metrics);
  app.setErrorHandler(errorHandler);

  // Opened (created, migrated, checked) before anything serves: a bad DELETION_STORE stops the start.
  const ownStore = deps.erasureStore === undefined && registry.all().some(canErase) ? await openErasureStore(config.DELETION_STORE) : undefined;
  const store = deps.erasureStore ?? ownStore;

  // One set of clients per destination, each built by its definition from its own settings.
  const clients = new Map<string, RouteClients>();
  const erasure = new Map<string, ErasureService>();
  const built: DestinationClients[] = [];
  for (const def of registry.all()) {
    // Loaded against EnvSchema already: a definition whose settings are not all there is a bug of ours.
    if (!Value.Check(def.settings, config)) throw new Error(`The service settings lack some that ${def.displayName} reads`);
    let delivery = deps.clients?.get(def.name);
    let erasureClient = deps.erasureClients?.get(def.name);
    if (delivery === undefined || (erasureClient === undefined && canErase(def))) {
      const own = def.createClients(config, { onAttempt: metrics.onAttempt, onQueue: metrics.onQueue });
      built.push(own);
      delivery ??= own.delivery;
      erasureClient ??= own.erasure;
    }
    clients.set(def.name, { delivery, proxyOrigins: def.proxyOrigins(config) });
    if (canErase(def) && store !== undefined) {
      if (erasureClient === undefined) throw new Error(`${def.displayName} erases people but built no erasure client`);
      const service = new ErasureService({
        def,
        client: erasureClient,
        store,
        clock: deps.clock ?? systemClock,
        settings: config,
        waitMs: config.DELETION_WAIT_MS,
        retryBaseMs: config.OMETRIA_RETRY_BASE_MS,
        retryMaxMs: config.OMETRIA_RETRY_MAX_MS,
        observers: { onSettled: metrics.onErasureSettled, onTrouble: (message, error) => app.log.error({ err: error }, message) },
      });
      erasure.set(def.name, service);
      metrics.watchErasure(def.name, () => service.waiting());
    }
  }
  const upstreamClient =
    config.UPSTREAM_TRANSFORMER_URL === '' ? undefined : new UpstreamClient(config.UPSTREAM_TRANSFORMER_URL, config.UPSTREAM_TIMEOUT_MS);
  // Closed after the server has drained in-flight requests, so running deliveries finish first.
  app.addHook('onClose', async () => {
    await erasuresClosed;
    await Promise.all(built.map((own) => own.close()));
    await upstreamClient?.close();
    await ownStore?.close();
  });
  const upstream = upstreamClient === undefined ? undefined : new UpstreamForwarder(upstreamClient, metrics);
  const routeDeps: RouteDeps = { registry, metrics, upstream, clients };

  const build = readBuildInfo();
  await registerOpenApi(app, build);
  await app.register(metaRoutes, {
    ...routeDeps,
    build,
    metricsText: deps.metricsText ?? (() => metrics.registry.metrics()),
    ready: deps.ready ?? (() => true),
  });
  // Load shedding guards the work, not the probes: these routes share one encapsulated context.
  await app.register(async (work) => {
    await registerLoadShedding(work, config, metrics);
    await work.register(transformRoutes, routeDeps);
    await work.register(deliverRoutes, { ...routeDeps, concurrency: config.DELIVERY_CONCURRENCY });
    await work.register(proxyRoutes, routeDeps);
    await work.register(deleteUsersRoutes, { ...routeDeps, erasure });
    if (upstream !== undefined) await work.register(passThroughRoutes, { upstream });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ error: `Route ${request.method} ${request.url.split('?')[0]} not found` });
  });
  return app;
}
