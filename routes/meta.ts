import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { FeaturesSchema, type Features } from '../schemas/rudder/features.js';
import type { DestinationRegistry } from '../src/destinations/registry.js';
import type { BuildInfo } from '../src/version.js';

export interface MetaRoutesOptions {
  readonly registry: DestinationRegistry;
  readonly build: BuildInfo;
}

/** The /features body for RudderStack: built from the registry, once. */
export function features(registry: DestinationRegistry): Features {
  return {
    routerTransform: Object.fromEntries(registry.all().map((d) => [d.name, true])),
    regulations: [],
    // Both source flags are needed only so RudderStack does not panic on its second poll; this
    // service serves no source routes, so webhook sources must not point at it.
    supportSourceTransformV1: true,
    upgradedToSourceTransformV2: true,
    supportDestTransformCompactedPayloadV1: true,
    // The v1 proxy reports per job; without this flag RudderStack would use v0.
    supportTransformerProxyV1: true,
  };
}

export const metaRoutes: FastifyPluginAsyncTypebox<MetaRoutesOptions> = async (app, { registry, build }) => {
  const body = features(registry);
  app.get(
    '/features',
    { schema: { summary: 'Capabilities RudderStack polls', response: { 200: FeaturesSchema } } },
    async () => body,
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
};
