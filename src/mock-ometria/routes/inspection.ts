import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { MockStatsSchema, RecordsQuerySchema, RecordsResponseSchema } from '../schemas.js';
import type { ErrorLog } from '../state/error-log.js';
import type { PushQueue } from '../state/push-queue.js';
import type { PushStats } from '../state/push-stats.js';
import type { RecordStore } from '../state/store.js';

export interface InspectionRoutesOptions {
  readonly store: RecordStore;
  readonly errors: ErrorLog;
  readonly stats: PushStats;
  readonly queue: PushQueue;
}

/** What tests read back (records, counters) and how they start clean; not part of Ometria's API. */
export const inspectionRoutes: FastifyPluginAsyncTypebox<InspectionRoutesOptions> = async (app, { store, errors, stats, queue }) => {
  app.get(
    '/_records',
    { schema: { summary: 'Stored records', querystring: RecordsQuerySchema, response: { 200: RecordsResponseSchema } } },
    async (request) => {
      const records = store.list(request.query.type);
      return { records, count: records.length };
    },
  );

  app.delete(
    '/_records',
    { schema: { summary: 'Forget records, errors, counters and the records waiting in the queue', response: { 204: Type.Null() } } },
    async (_request, reply) => {
      store.clear();
      queue.clear();
      errors.clear();
      stats.clear();
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/_stats',
    { schema: { summary: 'Push counters and writes per record key', response: { 200: MockStatsSchema } } },
    async () => stats.snapshot(store.writes()),
  );
};
