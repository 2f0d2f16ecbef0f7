import type { DeliveryVerdict } from '../../core/destination.js';
import { isPlainObject } from '../../core/plain-object.js';
import type { HttpResult } from '../../core/delivery-client.js';

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

function excerpt(body: string, parsed: unknown): string {
  const message = isPlainObject(parsed) && typeof parsed.message === 'string' ? parsed.message : body;
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}

/**
 * Ometria's answer to a push. A 2xx only means "received": when its
 * counts say records were rejected, the push is a failure, never "delivered" (the reference
 * transformer reports it as success). Ometria does not say which records failed, so the whole
 * batch is reported with the counts and the request_id to look up in GET /v2/push/_errors.
 */
export function interpretPush(result: HttpResult): DeliveryVerdict {
  const verdict = judge(result);
  // The status Ometria really answered (202 …), for metrics; the verdict's own is per event.
  return result.kind === 'response' ? { ...verdict, answered: result.status } : verdict;
}

function judge(result: HttpResult): DeliveryVerdict {
  const tries = `${result.attempts} attempt${result.attempts === 1 ? '' : 's'}`;
  if (result.kind === 'transport') {
    if (result.code === 'QUEUE_FULL') {
      return {
        delivered: false,
        status: 429,
        category: 'throttled',
        message: `Not sent: Ometria's queue was full (${result.message}; ${tries})`,
      };
    }
    if (result.code === 'RATE_LIMITED') {
      return {
        delivered: false,
        status: 429,
        category: 'throttled',
        message: `Not sent: the per-API-key rate limit had no slot early enough to push and be answered before the delivery deadline (${tries})`,
      };
    }
    return {
      delivered: false,
      status: 500,
      category: 'retryable',
      message: `Could not reach Ometria: ${result.code}, ${result.message} (${tries})`,
    };
  }
  const { status } = result;
  const parsed = parse(result.body);
  // The answer as Ometria gave it, for callers that pass it on (the v1 proxy's `error`).
  const answer = parsed ?? result.body;
  if (status >= 200 && status < 300) {
    const body = isPlainObject(parsed) ? parsed : {};
    const accepted = count(body.accepted);
    const rejected = count(body.rejected);
    const requestId = typeof body.request_id === 'string' ? body.request_id : 'unknown';
    const notOk = typeof body.status === 'string' && body.status.toUpperCase() !== 'OK';
    const counts = { requestId, accepted, rejected };
    if (rejected > 0 || notOk) {
      return {
        delivered: false,
        status: 400,
        category: 'rejected',
        message:
          `Ometria rejected ${rejected} of ${accepted + rejected} records of this push (request_id ${requestId}, ` +
          `status ${String(body.status ?? status)}); it does not say which: see GET /v2/push/_errors`,
        counts,
        answer,
      };
    }
    return {
      delivered: true,
      status: 200,
      category: 'delivered',
      message: `Ometria accepted ${accepted} records (request_id ${requestId})`,
      counts,
      answer,
    };
  }
  if (status === 401 || status === 403) {
    return { delivered: false, status: 403, category: 'auth', message: `Ometria refused the API key (HTTP ${status})`, answer };
  }
  if (status === 429) {
    return { delivered: false, status: 429, category: 'throttled', message: `Ometria throttled the push (HTTP 429, ${tries})`, answer };
  }
  if (status >= 500) {
    return {
      delivered: false,
      status,
      category: 'retryable',
      message: `Ometria failed (HTTP ${status}, ${tries}): ${excerpt(result.body, parsed)}`,
      answer,
    };
  }
  return {
    delivered: false,
    status: 400,
    category: 'aborted',
    message: `Ometria refused the push (HTTP ${status}): ${excerpt(result.body, parsed)}`,
    answer,
  };
}
