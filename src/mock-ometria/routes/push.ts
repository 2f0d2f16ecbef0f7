import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { MockErrorSchema, PushAcceptedSchema, PushErrorListSchema, PushErrorsQuerySchema } from '../schemas.js';
import type { AuthOutcome } from './auth.js';
import type { ErrorLog } from '../state/error-log.js';
import type { FaultInjector } from '../state/faults.js';
import { readPushBody } from '../rules/push-body.js';
import type { PushQueue } from '../state/push-queue.js';
import { judgeRecords } from '../rules/push-records.js';
import type { PushStats } from '../state/push-stats.js';
import type { RejectionRuleSet } from '../rules/rejection-rules.js';
import type { RecordStore } from '../state/store.js';

export interface PushRoutesOptions {
  readonly checkAuth: (header: string | string[] | undefined) => AuthOutcome;
  readonly faults: FaultInjector;
  readonly store: RecordStore;
  readonly errors: ErrorLog;
  readonly stats: PushStats;
  readonly rejections: RejectionRuleSet;
  readonly queue: PushQueue;
}

// Ometria's Push API v2 endpoint, written here from Ometria's docs rather than taken from the
// service: a service that pushed to another path would get the mock's 404, not a silent match.
const PUSH_PATH = '/v2/push';

const refusals = { 400: MockErrorSchema, 403: MockErrorSchema, 413: MockErrorSchema, 429: MockErrorSchema, 500: MockErrorSchema };

/** Ometria's own surface: POST /v2/push and GET /v2/push/_errors. */
export const pushRoutes: FastifyPluginAsyncTypebox<PushRoutesOptions> = async (app, options) => {
  const { checkAuth, faults, store, errors, stats, rejections, queue } = options;

  // The body is kept raw so that it is judged after the faults and the key (a wrong key with a
  // broken body is a 403, as at Ometria), and so that any Content-Type is read as JSON.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });

  const throttle = (reply: FastifyReply, message: string) => {
    const { retryAfterSeconds } = faults.settings;
    if (retryAfterSeconds !== undefined) void reply.header('retry-after', String(retryAfterSeconds));
    return reply.code(429).send({ status: 'ERROR', message });
  };

  // Ometria's older docs: the queue's size limit and the room left, on answers to pushes.
  const queueHeaders = (reply: FastifyReply) => {
    if (!queue.enabled) return;
    void reply.header('X-QueueSize-Limit', String(queue.settings.limit));
    void reply.header('X-QueueSize-Remaining', String(queue.remaining()));
  };

  app.post(
    PUSH_PATH,
    {
      schema: { summary: 'Push records (Ometria Push API v2)', response: { 202: PushAcceptedSchema, ...refusals } },
      onRequest: async () => {
        stats.countPush();
      },
      // Counted before sending, so a client that reads _stats right after its answer sees it.
      onSend: async (_request, reply, payload) => {
        stats.countResponse(reply.statusCode);
        return payload;
      },
    },
    async (request, reply) => {
      // Check order (docs/MOCK-OMETRIA.md): drop → delay → injected 500/429 → auth → rate limit
      // → body → each record → queue. Injected faults come before auth because they stand for Ometria's
      // infrastructure failing, which happens whatever the request holds.
      const fault = faults.draw();
      if (fault === 'drop') {
        stats.countDrop();
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      }
      const { delayMs } = faults.settings;
      if (delayMs > 0) await sleep(delayMs);
      if (fault === 'fail') return reply.code(500).send({ status: 'ERROR', message: 'Injected failure (failRate)' });
      if (fault === 'throttle') return throttle(reply, 'Too many requests (injected by throttleRate)');

      const auth = checkAuth(request.headers['x-ometria-auth']);
      if (!auth.ok) return reply.code(403).send({ status: 'ERROR', message: auth.reason });
      if (!faults.admit(auth.key)) {
        return throttle(reply, `Rate limit exceeded: at most ${faults.settings.rateLimitPerSecond} pushes per second`);
      }

      const body = readPushBody(Buffer.isBuffer(request.body) ? request.body : undefined);
      if (!body.ok) return reply.code(400).send({ status: 'ERROR', message: body.message });

      const verdict = judgeRecords(body.type, body.records, (id) => store.has(body.type, id), rejections);
      // Only what would be stored waits in the queue; a refused push leaves no record and no error.
      const accepted = verdict.accepted.length;
      if (!queue.offer(accepted)) {
        queueHeaders(reply);
        const { limit } = queue.settings;
        return throttle(reply, `Push queue is full: ${accepted} records would not fit (${queue.remaining()} of ${limit} free)`);
      }
      const requestId = randomUUID();
      for (const record of verdict.accepted) store.upsert(body.type, String(record.id), record);
      for (const rejection of verdict.rejected) errors.add({ ...rejection, request_id: requestId });
      const rejected = verdict.rejected.length;
      stats.countRecords(accepted, rejected);
      queueHeaders(reply);
      // One status for every push Ometria received, whatever its counts say.
      return reply.code(202).send({ status: 'OK', request_id: requestId, accepted, rejected });
    },
  );

  app.get(
    `${PUSH_PATH}/_errors`,
    {
      schema: {
        summary: 'The 100 most recent per-record errors, newest first; ?request_id= keeps one push\'s',
        querystring: PushErrorsQuerySchema,
        response: { 200: PushErrorListSchema, 400: MockErrorSchema, 403: MockErrorSchema },
      },
      // Before the query is validated: a wrong key is a 403 whatever else the request holds.
      onRequest: async (request, reply) => {
        const auth = checkAuth(request.headers['x-ometria-auth']);
        if (!auth.ok) return reply.code(403).send({ status: 'ERROR', message: auth.reason });
        return undefined;
      },
    },
    async (request) => errors.list(request.query.request_id),
  );
};
