import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyBaseLogger } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import {
  type ProxyRequest,
  ProxyV0RequestSchema,
  ProxyV0ResponseSchema,
  ProxyV1RequestSchema,
  ProxyV1ResponseSchema,
} from '../schemas/rudder/proxy.js';
import { DestinationParamsSchema } from '../schemas/rudder/requests.js';
import { ErrorResponseSchema } from '../schemas/rudder/responses.js';
import { logUndelivered } from '../src/core/delivery.js';
import { proxySend, v0Answer, v1Answer, type ProxyDeps } from '../src/core/proxy.js';
import { destinationOr404, ourDestinationOrElse, pathDestination } from './destination-lookup.js';
import type { RouteDeps } from './route-deps.js';

export interface ProxyRoutesOptions extends RouteDeps {
  readonly proxy: ProxyDeps;
}

/** RudderStack's own timeout for the proxy call (ms); we stop retrying a little before it. */
function deadlineFrom(header: string | string[] | undefined): number | undefined {
  const value = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(value) && value > 0 ? Math.max(500, value - 500) : undefined;
}

/** The delivery proxy RudderStack uses with `transformerProxy` enabled (docs/RUDDERSTACK.md). */
export const proxyRoutes: FastifyPluginAsyncTypebox<ProxyRoutesOptions> = async (app, { registry, metrics, upstream, proxy }) => {
  const checkDestination = ourDestinationOrElse(registry, upstream, pathDestination);
  // v1 answers per job, so its records can be told apart when Ometria rejects some; v0's one
  // HTTP status covers every job, so it relays as it always did.
  const send = async (request: { params: { destination: string }; body: ProxyRequest; headers: IncomingHttpHeaders; log: FastifyBaseLogger }, isolate: boolean) => {
    const def = destinationOr404(registry, request.params.destination);
    const deadlineMs = deadlineFrom(request.headers['rdproxy-timeout']);
    const sent = await proxySend(def, request.body, proxy, { isolate, hooks: metrics.hooks(request.log), ...(deadlineMs === undefined ? {} : { deadlineMs }) });
    return { def, sent };
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
      const { def, sent } = await send(request, false);
      const answer = v0Answer(def, request.body, sent);
      if (!sent.verdict.delivered) logUndelivered(request.log, request.body.metadata, sent.verdict);
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
      const { def, sent } = await send(request, true);
      const answer = v1Answer(def, request.body, sent);
      request.body.metadata.forEach((metadata, i) => {
        const job = sent.perJob?.[i] ?? sent.verdict;
        metrics.onDelivered(def, job.status, job.category);
        if (!job.delivered) logUndelivered(request.log, metadata, job);
      });
      return reply
        .code(answer.httpStatus === 200 ? 200 : 400)
        .header('apiVersion', '2')
        .send(answer.body);
    },
  );
};
