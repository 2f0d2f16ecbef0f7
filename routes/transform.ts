import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import {
  DestinationParamsSchema,
  ExplainQuerySchema,
  ProcessorRequestSchema,
  RouterRequestSchema,
} from '../schemas/rudder/requests.js';
import {
  BatchResponseSchema,
  ErrorResponseSchema,
  ProcessorResponseSchema,
  RouterResponseSchema,
} from '../schemas/rudder/responses.js';
import { toEventInputs } from '../src/core/transform/event-input.js';
import { runProcessor, runRouter } from '../src/core/transform/request-runs.js';
import { bodyDestType, destinationOr404, ourDestinationOrElse, pathDestination } from './destination-routing.js';
import type { RouteDeps } from './route-deps.js';

const errors = { 400: ErrorResponseSchema, 404: ErrorResponseSchema, 413: ErrorResponseSchema, 415: ErrorResponseSchema };

// The answers are built here to their schemas, and most of their bytes are open objects (echoed
// metadata, destinations) and escaped batch strings: native JSON.stringify writes them faster than
// a schema serializer, which would hand the open parts to JSON.stringify anyway. The response
// schemas stay for the OpenAPI document.
const serializerCompiler = () => (data: unknown) => JSON.stringify(data);

/** RudderStack reads `apiVersion: 2` on every 200 of these routes and panics without it. */
function markApiVersion(reply: FastifyReply): void {
  void reply.header('apiVersion', '2');
}

/** The processor, router and batch transforms (docs/RUDDERSTACK.md, "Routes"). */
export const transformRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { registry, metrics, upstream }) => {
  const destination = (name: string) => destinationOr404(registry, name);

  app.post(
    '/v0/destinations/:destination',
    {
      schema: {
        summary: 'Processor transform: one output item per event, in input order',
        params: DestinationParamsSchema,
        querystring: ExplainQuerySchema,
        body: ProcessorRequestSchema,
        response: { 200: ProcessorResponseSchema, ...errors },
      },
      preValidation: ourDestinationOrElse(registry, upstream, pathDestination),
      serializerCompiler,
    },
    async (request, reply) => {
      const def = destination(request.params.destination);
      const { body } = request;
      const inputs = Array.isArray(body) ? toEventInputs(body, undefined, 'body') : toEventInputs(body.input, body.destinations);
      markApiVersion(reply);
      const options = { feature: 'processor', explain: request.query.explain === true } as const;
      return runProcessor(def, inputs, options, metrics.hooks(request.log));
    },
  );

  // /routerTransform and /batch batch alike; /batch answers the bare array.
  const routerRoutes = [
    { url: '/routerTransform', feature: 'router', summary: 'Router transform: batches of at most 100 records of one type and one destination config', response: RouterResponseSchema },
    { url: '/batch', feature: 'batch', summary: 'Batch transform: the router batches as a bare array', response: BatchResponseSchema },
  ] as const;
  for (const route of routerRoutes) {
    app.post(
      route.url,
      {
        schema: {
          summary: route.summary,
          querystring: ExplainQuerySchema,
          body: RouterRequestSchema,
          response: { 200: route.response, ...errors },
        },
        preValidation: ourDestinationOrElse(registry, upstream, bodyDestType),
        serializerCompiler,
      },
      async (request, reply) => {
        const def = destination(request.body.destType);
        const inputs = toEventInputs(request.body.input, request.body.destinations);
        markApiVersion(reply);
        const options = { feature: route.feature, explain: request.query.explain === true };
        const output = runRouter(def, inputs, options, metrics.hooks(request.log));
        return route.feature === 'batch' ? output : { output };
      },
    );
  }
};
