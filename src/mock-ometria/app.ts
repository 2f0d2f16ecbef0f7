import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import {
  DeletionSettingsSchema,
  DeletionSettingsUpdateSchema,
  FaultSettingsSchema,
  FaultSettingsUpdateSchema,
  QueueSettingsUpdateSchema,
  QueueStateSchema,
  RejectionRulesSchema,
  RejectionRulesUpdateSchema,
  type DeletionSettingsUpdate,
  type FaultSettingsUpdate,
  type QueueSettingsUpdate,
  type RejectionRulesUpdate,
} from './schemas.js';
import { createAuthCheck } from './routes/auth.js';
import { deletionInspectionRoutes } from './routes/deletion-inspection.js';
import { deletionRoutes } from './routes/deletion.js';
import { inspectionRoutes } from './routes/inspection.js';
import { pushRoutes } from './routes/push.js';
import { settingRoutes } from './routes/settings.js';
import { RejectionRuleSet, resolveRejections } from './rules/rejection-rules.js';
import { DeletionFaultInjector, resolveDeletionSettings } from './state/deletion-faults.js';
import { DeletionLog } from './state/deletion-log.js';
import { SlidingRateWindow } from './state/deletion-rate.js';
import { DeletionRequestStore } from './state/deletion-requests.js';
import { ErrorLog } from './state/error-log.js';
import { FaultInjector, resolveFaults } from './state/faults.js';
import { PushQueue, resolveQueue } from './state/push-queue.js';
import { PushStats } from './state/push-stats.js';
import { RecordStore } from './state/store.js';

export interface MockOmetriaOptions {
  /** Accepted X-Ometria-Auth keys; empty or absent = any non-empty key. */
  readonly apiKeys?: readonly string[];
  /** Fault settings at start (and after DELETE /_control/faults); omitted ones are off. */
  readonly faults?: FaultSettingsUpdate;
  /** Rejection rules at start (and after DELETE /_control/rejections); omitted ones are off. */
  readonly rejections?: RejectionRulesUpdate;
  /** Push queue at start (and after DELETE /_control/queue); absent or limit 0 = off. */
  readonly queue?: QueueSettingsUpdate;
  /**
   * Settings of POST /v2/data-deletion-requests at start (and after DELETE /_control/deletions):
   * omitted ones take their defaults, six requests a minute per key and no faults.
   */
  readonly deletions?: DeletionSettingsUpdate;
  /** Where to log; silent when absent (tests). */
  readonly logger?: FastifyBaseLogger;
  /**
   * Milliseconds clock of the rate limiters (pushes and deletions), the queue and the deletion
   * timestamps, for tests that must not depend on real time.
   */
  readonly clock?: () => number;
}

// Ometria documents no total request size; 100 records of at most 60 KB each fit well under this.
const BODY_LIMIT = 16 * 1024 * 1024;

/** Every refusal in Ometria's error shape; unexpected failures are logged and answered without internals. */
function mockErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.validation !== undefined ? 400 : (error.statusCode ?? 500);
  if (status >= 500) request.log.error({ err: error }, 'mock Ometria request failed');
  // Ajv's "must NOT have additional properties" does not say which one; a misspelt setting should.
  const extra = error.validation?.[0]?.params.additionalProperty;
  const message = typeof extra === 'string' ? `${error.message}: ${JSON.stringify(extra)}` : error.message;
  void reply.code(status).send({ status: 'ERROR', message: status >= 500 ? 'Internal Server Error' : message });
}

/**
 * A mock of Ometria's Push API (docs/MOCK-OMETRIA.md): validates and stores pushed records in
 * memory, answers like Ometria, and injects faults, rejections and a full queue on request. It
 * serves Ometria's GDPR data deletion requests too, with their own rate limit and faults.
 * Throws (RangeError) when `faults`, `rejections`, `queue` or `deletions` is unusable.
 */
export async function buildMockOmetria(options: MockOmetriaOptions = {}): Promise<FastifyInstance> {
  const initial = resolveFaults(options.faults);
  const faults = new FaultInjector(initial, options.clock);
  const initialRejections = resolveRejections(options.rejections);
  const rejections = new RejectionRuleSet(initialRejections);
  const initialQueue = resolveQueue(options.queue);
  const queue = new PushQueue(initialQueue, options.clock);
  const store = new RecordStore();
  const errors = new ErrorLog();
  const stats = new PushStats();
  const checkAuth = createAuthCheck(options.apiKeys ?? []);
  const clock = options.clock ?? Date.now;
  const initialDeletions = resolveDeletionSettings(options.deletions);
  const deletionFaults = new DeletionFaultInjector(initialDeletions);
  const deletionRate = new SlidingRateWindow(clock);
  const deletionRequests = new DeletionRequestStore();
  const deletionLog = new DeletionLog();

  const app = Fastify({
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger }),
    bodyLimit: BODY_LIMIT,
    // Control bodies are judged as sent: no coercion, no silent removal of a misspelt setting.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler(mockErrorHandler);
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ status: 'ERROR', message: `Route ${request.method} ${request.url.split('?')[0]} not found` });
  });

  await app.register(pushRoutes, { checkAuth, faults, store, errors, stats, rejections, queue });
  await app.register(inspectionRoutes, { store, errors, stats, queue });
  await app.register(deletionRoutes, {
    checkAuth,
    faults: deletionFaults,
    rate: deletionRate,
    requests: deletionRequests,
    log: deletionLog,
    clock,
  });
  await app.register(deletionInspectionRoutes, { log: deletionLog, requests: deletionRequests, rate: deletionRate });
  // The schemas check each field; `resolve` adds the rules a schema cannot state. A change of
  // faults restarts the PRNG from the seed and the rate windows; a change of queue settings starts
  // from an empty queue.
  await app.register(
    settingRoutes({
      name: 'faults',
      summaries: {
        get: 'Current fault settings',
        put: 'Replace the fault settings (omitted ones are off)',
        delete: 'Back to the start-up fault settings',
      },
      stateSchema: FaultSettingsSchema,
      updateSchema: FaultSettingsUpdateSchema,
      resolve: (update: FaultSettingsUpdate) => resolveFaults(update),
      replace: (settings) => faults.replace(settings),
      state: () => faults.settings,
      initial,
    }),
  );
  await app.register(
    settingRoutes({
      name: 'rejections',
      summaries: {
        get: 'Current rejection rules',
        put: 'Replace the rejection rules (omitted ones are off)',
        delete: 'Back to the start-up rejection rules',
      },
      stateSchema: RejectionRulesSchema,
      updateSchema: RejectionRulesUpdateSchema,
      // Whether the pattern compiles is the one rule left; named as Fastify names body fields.
      resolve: (update: RejectionRulesUpdate) => {
        try {
          return resolveRejections(update);
        } catch (error) {
          throw new Error(`body/${(error as Error).message}`);
        }
      },
      replace: (rules) => rejections.replace(rules),
      state: () => rejections.rules,
      initial: initialRejections,
    }),
  );
  await app.register(
    settingRoutes({
      name: 'queue',
      summaries: {
        get: 'Queue settings and the records waiting now',
        put: 'Replace the queue settings (limit omitted = off; drainPerSecond omitted = the limit per second)',
        delete: 'Back to the start-up queue settings, empty',
      },
      stateSchema: QueueStateSchema,
      updateSchema: QueueSettingsUpdateSchema,
      resolve: (update: QueueSettingsUpdate) => resolveQueue(update),
      replace: (settings) => queue.replace(settings),
      state: () => queue.state(),
      initial: initialQueue,
    }),
  );
  // As with faults, a change restarts the PRNG from the seed and the rate windows.
  await app.register(
    settingRoutes({
      name: 'deletions',
      summaries: {
        get: 'Current settings of the data deletion route (rate limit and faults)',
        put: 'Replace them (omitted ones take their defaults: six a minute, faults off)',
        delete: 'Back to the start-up settings of the data deletion route',
      },
      stateSchema: DeletionSettingsSchema,
      updateSchema: DeletionSettingsUpdateSchema,
      resolve: (update: DeletionSettingsUpdate) => resolveDeletionSettings(update),
      replace: (settings) => {
        deletionFaults.replace(settings);
        deletionRate.clear();
      },
      state: () => deletionFaults.settings,
      initial: initialDeletions,
    }),
  );
  return app;
}
