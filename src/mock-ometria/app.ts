import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { FaultSettingsUpdate, QueueSettingsUpdate, RejectionRulesUpdate } from '../../schemas/mock-ometria.js';
import { createAuthCheck } from './auth.js';
import { controlRoutes } from './control-routes.js';
import { ErrorLog } from './error-log.js';
import { FaultInjector, resolveFaults } from './faults.js';
import { inspectionRoutes } from './inspection-routes.js';
import { PushQueue, resolveQueue } from './push-queue.js';
import { PushStats } from './push-stats.js';
import { pushRoutes } from './push-routes.js';
import { queueRoutes } from './queue-routes.js';
import { RejectionRuleSet, resolveRejections } from './rejection-rules.js';
import { rejectionRoutes } from './rejection-routes.js';
import { RecordStore } from './store.js';

export interface MockOmetriaOptions {
  /** Accepted X-Ometria-Auth keys; empty or absent = any non-empty key. */
  readonly apiKeys?: readonly string[];
  /** Fault settings at start (and after DELETE /_control/faults); omitted ones are off. */
  readonly faults?: FaultSettingsUpdate;
  /** Rejection rules at start (and after DELETE /_control/rejections); omitted ones are off. */
  readonly rejections?: RejectionRulesUpdate;
  /** Push queue at start (and after DELETE /_control/queue); absent or limit 0 = off. */
  readonly queue?: QueueSettingsUpdate;
  /** Where to log; silent when absent (tests). */
  readonly logger?: FastifyBaseLogger;
  /** Milliseconds clock of the rate limiter and the queue, for tests that must not depend on real time. */
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
 * memory, answers like Ometria, and injects faults, rejections and a full queue on request.
 * Throws (RangeError) when `faults`, `rejections` or `queue` is unusable.
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
  await app.register(controlRoutes, { faults, initial });
  await app.register(rejectionRoutes, { rejections, initial: initialRejections });
  await app.register(queueRoutes, { queue, initial: initialQueue });
  return app;
}
