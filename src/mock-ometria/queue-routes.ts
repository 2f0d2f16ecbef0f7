import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MockErrorSchema, QueueSettingsUpdateSchema, QueueStateSchema, type QueueSettings } from '../../schemas/mock-ometria.js';
import { resolveQueue, type PushQueue } from './push-queue.js';

export interface QueueRoutesOptions {
  readonly queue: PushQueue;
  /** What DELETE /_control/queue goes back to: the settings the mock started with. */
  readonly initial: QueueSettings;
}

/** The push queue at runtime; every change of settings starts from an empty queue. */
export const queueRoutes: FastifyPluginAsyncTypebox<QueueRoutesOptions> = async (app, { queue, initial }) => {
  app.get(
    '/_control/queue',
    { schema: { summary: 'Queue settings and the records waiting now', response: { 200: QueueStateSchema } } },
    async () => queue.state(),
  );

  app.put(
    '/_control/queue',
    {
      schema: {
        summary: 'Replace the queue settings (limit omitted = off; drainPerSecond omitted = the limit per second)',
        body: QueueSettingsUpdateSchema,
        response: { 200: QueueStateSchema, 400: MockErrorSchema },
      },
    },
    async (request) => {
      queue.replace(resolveQueue(request.body));
      return queue.state();
    },
  );

  app.delete(
    '/_control/queue',
    { schema: { summary: 'Back to the start-up queue settings, empty', response: { 200: QueueStateSchema } } },
    async () => {
      queue.replace(initial);
      return queue.state();
    },
  );
};
