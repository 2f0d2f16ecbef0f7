import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DeletionRequestListSchema, DeletionRequestSchema, MockErrorSchema, type DeletionRequest, type MockError } from '../schemas.js';
import { presentedKey, type AuthOutcome } from './auth.js';
import { emailOfBody, readDeletionBody } from '../rules/deletion-body.js';
import type { DeletionFault, DeletionFaultInjector } from '../state/deletion-faults.js';
import type { DeletionLog } from '../state/deletion-log.js';
import type { SlidingRateWindow } from '../state/deletion-rate.js';
import type { DeletionRequestStore } from '../state/deletion-requests.js';

export interface DeletionRoutesOptions {
  readonly checkAuth: (header: string | string[] | undefined) => AuthOutcome;
  readonly faults: DeletionFaultInjector;
  readonly rate: SlidingRateWindow;
  readonly requests: DeletionRequestStore;
  readonly log: DeletionLog;
  /** Milliseconds clock, for the timestamps (the rate window has it too). */
  readonly clock: () => number;
}

// Ometria's GDPR anonymisation endpoint, written here from OMETRIA-API.md (beside /v2/push on the
// same origin) rather than taken from the service, so a wrong path in the service gets a 404.
const DELETION_PATH = '/v2/data-deletion-requests';

/** The answer a judged request gets (or, for a lost answer, would have got). */
interface Answer {
  readonly status: 202 | 400 | 403 | 429 | 500;
  readonly body: DeletionRequest | MockError;
  readonly retryAfter?: number;
  readonly created?: DeletionRequest;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Ometria's listed identity: the address hashed, trimmed and lower-cased as an address compares. */
const hashedEmail = (email: string) => `${sha256(email.trim().toLowerCase())}@anonymous.ometria`;

/** Ometria's GDPR surface: POST and GET /v2/data-deletion-requests. */
export const deletionRoutes: FastifyPluginAsyncTypebox<DeletionRoutesOptions> = async (app, options) => {
  const { checkAuth, faults, rate, requests, log, clock } = options;

  // Raw body, as for pushes: judged after the faults and the key, any Content-Type read as JSON.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });

  /** Everything after the injected drop and delay: the first check that answers ends it. */
  const judge = (fault: DeletionFault, auth: AuthOutcome, raw: Buffer | undefined): Answer => {
    if (fault === 'fail') return { status: 500, body: { status: 'ERROR', message: 'Injected failure (failRate)' } };
    if (fault === 'throttle') {
      const { retryAfterSeconds } = faults.settings;
      return {
        status: 429,
        body: { status: 'ERROR', message: 'Too many requests (injected by throttleRate)' },
        ...(retryAfterSeconds === undefined ? {} : { retryAfter: retryAfterSeconds }),
      };
    }
    if (!auth.ok) return { status: 403, body: { status: 'ERROR', message: auth.reason } };
    const keyFingerprint = sha256(auth.key);
    const { ratePerMinute } = faults.settings;
    const admitted = rate.admit(keyFingerprint, ratePerMinute);
    if (!admitted.ok) {
      const message = `Rate limit exceeded: at most ${ratePerMinute} data deletion requests per minute`;
      return { status: 429, body: { status: 'ERROR', message }, retryAfter: admitted.retryAfterSeconds };
    }
    const body = readDeletionBody(raw);
    if (!body.ok) return { status: 400, body: { status: 'ERROR', message: body.message } };
    const created: DeletionRequest = {
      id: randomUUID(),
      action: 'anonymise',
      comment: body.comment,
      identities: [{ hashed_email: hashedEmail(body.email) }],
      source: { api_request_id: randomUUID(), origin: 'api' },
      summary: 'queued',
      timestamp_created: new Date(clock()).toISOString(),
      timestamp_completed: null,
    };
    requests.add(keyFingerprint, created);
    return { status: 202, body: created, created };
  };

  app.post(
    DELETION_PATH,
    {
      schema: {
        summary: 'Ask Ometria to anonymise one person, named by email (GDPR)',
        response: { 202: DeletionRequestSchema, 400: MockErrorSchema, 403: MockErrorSchema, 429: MockErrorSchema, 500: MockErrorSchema },
      },
    },
    async (request, reply) => {
      // Check order (docs/MOCK-OMETRIA.md): drop → delay → injected 500/429 → auth → rate limit →
      // body → created; a lost answer is decided with the drop but takes effect only at the end.
      const fault = faults.draw();
      const raw = Buffer.isBuffer(request.body) ? request.body : undefined;
      const header = request.headers['x-ometria-auth'];
      // A refused key is shown by its fingerprint too, so a test can tell which key was refused.
      const key = presentedKey(header);
      const seen = {
        email: emailOfBody(raw) ?? null,
        keyFingerprint: key === '' ? null : sha256(key),
        receivedAt: new Date(clock()).toISOString(),
      };
      if (fault === 'drop') {
        log.add({ ...seen, status: null, outcome: 'dropped', accepted: false, id: null });
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      }
      const { delayMs } = faults.settings;
      if (delayMs > 0) await sleep(delayMs);

      const answer = judge(fault, checkAuth(header), raw);
      const lost = fault === 'lost-answer';
      log.add({
        ...seen,
        status: answer.status,
        outcome: lost ? 'lost-answer' : 'answered',
        accepted: answer.created !== undefined,
        id: answer.created?.id ?? null,
      });
      if (lost) {
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      }
      if (answer.retryAfter !== undefined) void reply.header('retry-after', String(answer.retryAfter));
      return reply.code(answer.status).send(answer.body);
    },
  );

  app.get(
    DELETION_PATH,
    {
      schema: {
        summary: "The key's data deletion requests and their status, newest first",
        response: { 200: DeletionRequestListSchema, 403: MockErrorSchema },
      },
    },
    async (request, reply) => {
      const auth = checkAuth(request.headers['x-ometria-auth']);
      if (!auth.ok) return reply.code(403).send({ status: 'ERROR', message: auth.reason });
      return requests.list(sha256(auth.key));
    },
  );
};
