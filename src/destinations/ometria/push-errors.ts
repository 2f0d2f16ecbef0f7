import type { PushTarget, RecordError } from '../../core/destination.js';
import { isPlainObject } from '../../core/plain-object.js';
import type { OmetriaClient } from '../../http/ometria-client.js';

/**
 * Ometria's per-record errors of one push, from GET /v2/push/_errors (the 100 most recent, each
 * with `error_message`, `error_path` and the push's `request_id`). Asked with `?request_id=` and
 * filtered here too, whichever the API honours. Best effort: undefined when the list cannot be read.
 */
export async function readPushErrors(client: OmetriaClient, target: PushTarget, requestId: string, rateKey: string): Promise<RecordError[] | undefined> {
  const auth = Object.entries(target.headers).find(([name]) => name.toLowerCase() === 'x-ometria-auth')?.[1];
  if (auth === undefined) return undefined;
  const url = `${target.endpoint.replace(/\/+$/, '')}/_errors?request_id=${encodeURIComponent(requestId)}`;
  const result = await client.get({ url, headers: { 'X-Ometria-Auth': auth, Accept: 'application/json' }, rateKey });
  if (result.kind !== 'response' || result.status < 200 || result.status >= 300) return undefined;
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
