import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DeletionInspectionSchema } from '../schemas.js';
import type { DeletionLog } from '../state/deletion-log.js';
import type { SlidingRateWindow } from '../state/deletion-rate.js';
import type { DeletionRequestStore } from '../state/deletion-requests.js';

export interface DeletionInspectionRoutesOptions {
  readonly log: DeletionLog;
  readonly requests: DeletionRequestStore;
  readonly rate: SlidingRateWindow;
}

/** What tests read back of the deletion route, and how they start clean; not part of Ometria's API. */
export const deletionInspectionRoutes: FastifyPluginAsyncTypebox<DeletionInspectionRoutesOptions> = async (app, { log, requests, rate }) => {
  app.get(
    '/_deletions',
    {
      schema: {
        summary: 'Every data deletion request received (plain email, key fingerprint, status) and accepted ones per email',
        response: { 200: DeletionInspectionSchema },
      },
    },
    async () => log.snapshot(),
  );

  // The rate windows go too: a test that starts clean must not inherit an earlier test's slots.
  app.delete(
    '/_deletions',
    {
      schema: {
        summary: 'Forget received and created data deletion requests and the rate windows; settings stay',
        response: { 204: Type.Null() },
      },
    },
    async (_request, reply) => {
      log.clear();
      requests.clear();
      rate.clear();
      return reply.code(204).send(null);
    },
  );
};
