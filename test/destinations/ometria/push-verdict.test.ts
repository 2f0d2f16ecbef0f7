import t from 'tap';
import type { HttpResult } from '../../../src/core/delivery-client.js';
import { interpretPush } from '../../../src/destinations/ometria/push-verdict.js';

const response = (status: number, body: unknown, attempts = 1): HttpResult => ({
  kind: 'response',
  status,
  headers: {},
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attempts,
});

t.test('2xx with nothing rejected is delivered', async (t) => {
  t.strictSame(interpretPush(response(202, { status: 'OK', request_id: 'r-1', accepted: 3, rejected: 0 })), {
    delivered: true,
    status: 200,
    category: 'delivered',
    message: 'Ometria accepted 3 records (request_id r-1)',
    counts: { requestId: 'r-1', accepted: 3, rejected: 0 },
    answer: { status: 'OK', request_id: 'r-1', accepted: 3, rejected: 0 },
    answered: 202,
  });
  t.match(interpretPush(response(200, '')), { delivered: true, status: 200, answered: 200 }, 'a 2xx without counts is received');
});

t.test('2xx with rejected records is never delivered', async (t) => {
  t.strictSame(interpretPush(response(202, { status: 'OK', request_id: 'r-2', accepted: 2, rejected: 1 })), {
    delivered: false,
    status: 400,
    category: 'rejected',
    message:
      'Ometria rejected 1 of 3 records of this push (request_id r-2, status OK); it does not say which: see GET /v2/push/_errors',
    counts: { requestId: 'r-2', accepted: 2, rejected: 1 },
    answer: { status: 'OK', request_id: 'r-2', accepted: 2, rejected: 1 },
    answered: 202,
  });
  t.match(interpretPush(response(200, { status: 'ERROR', accepted: 0, rejected: 0 })), { delivered: false, status: 400 });
});

t.test('403 is an auth failure and never shows the key', async (t) => {
  const verdict = interpretPush(response(403, { message: 'Forbidden' }));
  t.strictSame(verdict, { delivered: false, status: 403, category: 'auth', message: 'Ometria refused the API key (HTTP 403)', answer: { message: 'Forbidden' }, answered: 403 });
});

t.test('429 throttled, 5xx retryable, other 4xx aborted, transport failures retryable', async (t) => {
  t.match(interpretPush(response(429, {}, 5)), { status: 429, category: 'throttled', message: 'Ometria throttled the push (HTTP 429, 5 attempts)' });
  t.match(interpretPush(response(503, 'down', 5)), { status: 503, category: 'retryable', message: 'Ometria failed (HTTP 503, 5 attempts): down' });
  t.match(interpretPush(response(400, { message: 'Payload invalid: not an array' })), {
    status: 400,
    category: 'aborted',
    message: 'Ometria refused the push (HTTP 400): Payload invalid: not an array',
  });
  t.match(interpretPush({ kind: 'transport', code: 'ECONNRESET', message: 'socket hang up', attempts: 5 }), {
    status: 500,
    category: 'retryable',
    message: 'Could not reach Ometria: ECONNRESET, socket hang up (5 attempts)',
  });
  t.match(interpretPush({ kind: 'transport', code: 'RATE_LIMITED', message: 'x', attempts: 0 }), { status: 429, category: 'throttled' });
});

t.test('a push held back for a full queue is throttled, never sent', async (t) => {
  t.strictSame(interpretPush({ kind: 'transport', code: 'QUEUE_FULL', message: 'the queue reported room for 3 records and the push has 10', attempts: 5 }), {
    delivered: false,
    status: 429,
    category: 'throttled',
    message: "Not sent: Ometria's queue was full (the queue reported room for 3 records and the push has 10; 5 attempts)",
  });
});
