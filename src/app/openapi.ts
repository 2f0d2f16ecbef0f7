import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { BuildInfo } from './version.js';

/** The OpenAPI document, generated from the routes' TypeBox schemas: /docs (UI) and /docs/json. */
export async function registerOpenApi(app: FastifyInstance, build: BuildInfo): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'ometria-transformer',
        version: build.version,
        description:
          'RudderStack-compatible transformer and delivery service for the Ometria Push API. ' +
          'Transform routes answer one item per event; see the README for the error model.',
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
