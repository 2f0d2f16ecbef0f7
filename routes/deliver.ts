import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DeliverResponseSchema } from '../schemas/deliver.js';
import { RouterRequestSchema } from '../schemas/rudder/requests.js';
import { ErrorResponseSchema } from '../schemas/rudder/responses.js';
import { runDelivery } from '../src/core/delivery/delivery.js';
import { toEventInputs } from '../src/core/transform/event-input.js';
import { clientsOf, destinationOr404 } from './destination-routing.js';
import type { RouteDeps } from './route-deps.js';

export interface DeliverRoutesOptions extends RouteDeps {
  /** Pushes in flight at once for one request. */
  readonly concurrency: number;
}

/** POST /deliver: transform, push to the destination, and say what became of every event. */
export const deliverRoutes: FastifyPluginAsyncTypebox<DeliverRoutesOptions> = async (app, { registry, metrics, clients, concurrency }) => {
  app.post(
    '/deliver',
    {
      schema: {
        summary: 'Transform and push to the destination; one outcome per event, in input order',
        body: RouterRequestSchema,
        response: { 200: DeliverResponseSchema, 400: ErrorResponseSchema, 404: ErrorResponseSchema },
      },
    },
    async (request) => {
      const def = destinationOr404(registry, request.body.destType);
      const inputs = toEventInputs(request.body.input, request.body.destinations);
      const deps = { client: clientsOf(clients, def).delivery, concurrency };
      return { output: await runDelivery(def, inputs, deps, metrics.hooks(request.log)) };
    },
  );
};
