import type { PushTarget, RecordError } from '../../core/destination.js';
import { headerValue } from '../../core/headers.js';
import { isPlainObject } from '../../core/plain-object.js';
import { isRetryable, type DeliveryClient } from '../../core/delivery-client.js';

/**
 * Where a push went and, when the caller has a time budget, by when the look-up must be answered
 * (`deadline`, epoch ms on the client's clock). The core passes it on the target so that the
 * destination's `readErrors(client, target, requestId)` keeps its shape.
 */
export interface LookupTarget extends PushTarget {
  readonly deadline?: number;
}

/** The list could not be read this time (no time left, no answer, 429 or 5xx): a later try may. */
export class ErrorsNotRead extends Error {
  override readonly name = 'ErrorsNotRead';
}

/**
 * Ometria's per-record errors of one push, from GET /v2/push/_errors (the 100 most recent, each
 * with `error_message`, `error_path` and the push's `request_id`). Asked with `?request_id=` and
 * filtered here too, whichever the API honours. The look-up goes before pushes waiting for the
 * rate limit (it finishes work under way) and within the target's deadline. Resolves the errors
 * (none: Ometria lists nothing for the push), undefined when the list cannot be read at all (no
 * key, refused, not a list), and rejects with ErrorsNotRead when it could not be read this time.
 */
export async function readPushErrors(client: DeliveryClient, target: LookupTarget, requestId: string, rateKey: string): Promise<RecordError[] | undefined> {
  const auth = headerValue(target.headers, 'x-ometria-auth');
  if (auth === undefined) return undefined;
  const url = `${target.endpoint.replace(/\/+$/, '')}/_errors?request_id=${encodeURIComponent(requestId)}`;
  const { deadline } = target;
  const left = deadline === undefined ? undefined : deadline - client.now();
  if (left !== undefined && left <= 0) throw new ErrorsNotRead('no time was left before the delivery deadline');
  const result = await client.get({
    url,
    headers: { 'X-Ometria-Auth': auth, Accept: 'application/json' },
    rateKey,
    urgent: true,
    ...(left === undefined ? {} : { deadlineMs: left, roomMs: Math.min(client.answerRoomMs(), left) }),
  });
  if (result.kind === 'transport') {
    throw new ErrorsNotRead(
      result.code === 'RATE_LIMITED' ? 'the rate limit had no slot for the look-up before the delivery deadline' : `no answer (${result.code})`,
    );
  }
  if (isRetryable(result)) throw new ErrorsNotRead(`HTTP ${result.status}`);
  if (result.status < 200 || result.status >= 300) return undefined;
  let listed: unknown;
  try {
    listed = JSON.parse(result.body);
  } catch {
    return undefined;
  }
  if (!Array.isArray(listed)) return undefined;
  const errors: RecordError[] = [];
  for (const entry of listed) {
    if (!isPlainObject(entry) || entry.request_id !== requestId || typeof entry.error_message !== 'string') continue;
    errors.push(typeof entry.error_path === 'string' ? { message: entry.error_message, path: entry.error_path } : { message: entry.error_message });
  }
  return errors;
}
