import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { FeaturesSchema, type Features } from '../schemas/rudder/features.js';
import { ErrorResponseSchema } from '../schemas/rudder/responses.js';
import type { DestinationRegistry } from '../src/destinations/registry.js';
import type { BuildInfo } from '../src/app/version.js';
import type { RouteDeps } from './route-deps.js';

export interface MetaRoutesOptions extends RouteDeps {
  readonly build: BuildInfo;
  /** The Prometheus text to serve (a cluster worker asks the primary for every worker's). */
  readonly metricsText: () => Promise<string>;
  /** False once the process is draining (SIGTERM): /ready then answers 503. */
  readonly ready: () => boolean;
}

/** The /features body for RudderStack: built from the registry, once. */
export function features(registry: DestinationRegistry): Features {
  return {
    routerTransform: Object.fromEntries(registry.all().map((d) => [d.name, true])),
    // The regulation worker calls /deleteUsers only for the destinations named here.
    regulations: registry.all().flatMap((d) => (d.erasure === undefined ? [] : [d.name])),
    // Both source flags are needed only so RudderStack does not panic on its second poll; this
    // service serves no source routes, so webhook sources must not point at it.
    supportSourceTransformV1: true,
    upgradedToSourceTransformV2: true,
    supportDestTransformCompactedPayloadV1: true,
    // The v1 proxy reports per job; without this flag RudderStack would use v0.
    supportTransformerProxyV1: true,
  };
}

export const metaRoutes: FastifyPluginAsyncTypebox<MetaRoutesOptions> = async (app, options) => {
  const { registry, build, upstream, metrics, metricsText, ready } = options;
  const ours = features(registry);
  app.get(
    '/features',
    {
      schema: {
        summary: 'Capabilities RudderStack polls (merged into the upstream transformer’s when one is set)',
        response: { 200: FeaturesSchema, 502: ErrorResponseSchema },
      },
    },
    async (_request, reply) => {
      if (upstream === undefined) return ours;
      const merged = await upstream.features(ours);
      // RudderStack keeps its current features on a non-200, so a passing upstream outage is harmless.
      if (merged === undefined) return reply.code(502).send({ error: 'Upstream transformer /features failed' });
      return merged as Features;
    },
  );
  app.get(
    '/health',
    {
      schema: {
        summary: 'Liveness',
        response: { 200: Type.Object({ service: Type.Literal('UP'), version: Type.String() }) },
      },
    },
    async () => ({ service: 'UP' as const, version: build.version }),
  );
  // Readiness, apart from liveness: a stopping process says "send me nothing new" here while it
  // still serves (SHUTDOWN_DELAY_MS), and /health stays 200 so that nothing restarts it meanwhile.
  app.get(
    '/ready',
    {
      schema: {
        summary: 'Readiness: 503 from SIGTERM on, while the process drains',
        response: {
          200: Type.Object({ status: Type.Literal('ready') }),
          503: Type.Object({ status: Type.Literal('draining') }),
        },
      },
    },
    async (_request, reply) => (ready() ? { status: 'ready' as const } : reply.code(503).send({ status: 'draining' as const })),
  );
  app.get(
    '/version',
    {
      schema: {
        summary: 'Build version',
        response: { 200: Type.Object({ name: Type.String(), version: Type.String(), node: Type.String() }) },
      },
    },
    async () => ({ name: build.name, version: build.version, node: process.version }),
  );
  app.get('/metrics', { schema: { summary: 'Prometheus metrics' } }, async (_request, reply) => {
    return reply.type(metrics.registry.contentType).send(await metricsText());
  });
};
