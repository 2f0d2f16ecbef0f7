import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { deliverRoutes } from '../routes/deliver.js';
import { metaRoutes } from '../routes/meta.js';
import { proxyRoutes } from '../routes/proxy.js';
import { transformRoutes } from '../routes/transform.js';
import { formats, registerFormats } from '../schemas/formats.js';
import type { AppConfig } from './config.js';
import { createRegistry } from './destinations/index.js';
import type { DestinationRegistry } from './destinations/registry.js';
import { errorHandler } from './error-handler.js';
import type { HttpClient } from './http/http-client.js';
import { allowedOrigins, createHttpClient } from './http/ometria-client.js';
import { loggerOptions } from './logger.js';
import { registerRequestDecoding } from './request-decoding.js';
import { readBuildInfo } from './version.js';

/** What tests (and later features) may swap in. */
export interface AppDeps {
  readonly registry?: DestinationRegistry;
  readonly logger?: FastifyBaseLogger;
  /** The outbound client (closed with the app when the app created it). */
  readonly httpClient?: HttpClient;
}

// Media types whose bodies are JSON, as the reference transformer accepts them (CONTRACT §9).
const JSON_MEDIA_TYPES = /^application\/(?:[\w.-]+\+json|json-patch\+json|csp-report)$/;

export async function buildApp(config: AppConfig, deps: AppDeps = {}): Promise<FastifyInstance> {
  registerFormats();
  const registry = deps.registry ?? createRegistry(config);
  const app = Fastify({
    ...(deps.logger === undefined ? { logger: loggerOptions(config) } : { loggerInstance: deps.logger }),
    bodyLimit: config.BODY_LIMIT,
    // A `__proto__` key must never fail a whole request (SPEC §6.16): drop it while parsing.
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    requestIdHeader: 'x-request-id',
    ajv: {
      // Never strip or coerce payloads: unmapped traits are the data, metadata is echoed as is.
      customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: false, formats },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addContentTypeParser(JSON_MEDIA_TYPES, { parseAs: 'string' }, app.getDefaultJsonParser('remove', 'remove'));
  registerRequestDecoding(app);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ error: `Route ${request.method} ${request.url.split('?')[0]} not found` });
  });

  const client = deps.httpClient ?? createHttpClient(config);
  // Closed after the server has drained in-flight requests, so running deliveries finish first.
  if (deps.httpClient === undefined) app.addHook('onClose', async () => client.close());

  const build = readBuildInfo();
  await app.register(metaRoutes, { registry, build });
  await app.register(transformRoutes, { registry });
  await app.register(deliverRoutes, { registry, delivery: { client, concurrency: config.DELIVERY_CONCURRENCY } });
  await app.register(proxyRoutes, { registry, proxy: { client, allowedOrigins: allowedOrigins(config) } });
  return app;
}
