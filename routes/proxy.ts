import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  ProxyV0RequestSchema,
  ProxyV0ResponseSchema,
  ProxyV1RequestSchema,
  ProxyV1ResponseSchema,
} from '../schemas/rudder/proxy.js';
import { DestinationParamsSchema } from '../schemas/rudder/requests.js';
import { ErrorResponseSchema } from '../schemas/rudder/responses.js';
import { runProxy } from '../src/core/delivery/proxy.js';
import type { ProxyDeps } from '../src/core/delivery/proxy-send.js';
import type { DestinationDefinition } from '../src/core/destination.js';
import { clientsOf, destinationOr404, ourDestinationOrElse, pathDestination } from './destination-routing.js';
import type { RouteDeps } from './route-deps.js';

/** The delivery proxy RudderStack uses with `transformerProxy` enabled (docs/RUDDERSTACK.md). */
export const proxyRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { registry, metrics, upstream, clients }) => {
  const checkDestination = ourDestinationOrElse(registry, upstream, pathDestination);
  const proxy = (def: DestinationDefinition): ProxyDeps => {
    const own = clientsOf(clients, def);
    return { client: own.delivery, allowedOrigins: own.proxyOrigins };
  };
  app.post(
    '/v0/destinations/:destination/proxy',
    {
      schema: {
        summary: 'Delivery proxy, v0: the HTTP status is every job’s outcome',
        params: DestinationParamsSchema,
        body: ProxyV0RequestSchema,
        // Envelope errors answer {error}; everything the handler answers has the v0 shape.
        response: {
          '2xx': ProxyV0ResponseSchema,
          '4xx': Type.Union([ProxyV0ResponseSchema, ErrorResponseSchema]),
          '5xx': Type.Union([ProxyV0ResponseSchema, ErrorResponseSchema]),
        },
      },
      preValidation: checkDestination,
    },
    async (request, reply) => {
      const def = destinationOr404(registry, request.params.destination);
      const answer = await runProxy(def, 0, request.body, request.headers['rdproxy-timeout'], proxy(def), metrics.hooks(request.log));
      return reply.code(answer.httpStatus).header('apiVersion', '2').send(answer.body);
    },
  );
  app.post(
    '/v1/destinations/:destination/proxy',
    {
      schema: {
        summary: 'Delivery proxy, v1: one response entry per job',
        params: DestinationParamsSchema,
        body: ProxyV1RequestSchema,
        response: { 200: ProxyV1ResponseSchema, '4xx': Type.Union([ProxyV1ResponseSchema, ErrorResponseSchema]) },
      },
      preValidation: checkDestination,
    },
    async (request, reply) => {
      const def = destinationOr404(registry, request.params.destination);
      const answer = await runProxy(def, 1, request.body, request.headers['rdproxy-timeout'], proxy(def), metrics.hooks(request.log));
      return reply
        .code(answer.httpStatus === 200 ? 200 : 400)
        .header('apiVersion', '2')
        .send(answer.body);
    },
  );
};
