import type { StoredRecord } from '../schemas.js';
import { isJsonObject } from './json-object.js';
import { MAX_RECORDS_PER_PUSH } from './ometria-limits.js';

/** A push body that can be processed record by record, or why the whole push is refused (400). */
export type PushBody =
  | { readonly ok: true; readonly type: string; readonly records: readonly StoredRecord[] }
  | { readonly ok: false; readonly message: string };

/**
 * Whole-body checks: JSON, an array even for one record, 1..100 records, each an object with a
 * string `@type`, all the same (Ometria: one object type per call, never mixed). Without a
 * `@type` the push's type is unknown and mixing cannot be judged, so that too refuses the push.
 */
export function readPushBody(raw: Buffer | undefined): PushBody {
  const text = raw?.toString('utf8') ?? '';
  if (text.trim() === '') return { ok: false, message: 'Body is empty: send a JSON array of 1 to 100 records' };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `Body is not valid JSON: ${(error as Error).message}` };
  }
  if (!Array.isArray(body)) {
    const got = body === null ? 'null' : typeof body;
    return { ok: false, message: `Body must be a JSON array of records, even for one record (got ${got})` };
  }
  if (body.length === 0) return { ok: false, message: 'Body is an empty array: send 1 to 100 records' };
  if (body.length > MAX_RECORDS_PER_PUSH) {
    return { ok: false, message: `Body has ${body.length} records: at most ${MAX_RECORDS_PER_PUSH} per push` };
  }
  const types = new Set<string>();
  for (const [index, record] of body.entries()) {
    if (!isJsonObject(record) || typeof record['@type'] !== 'string') {
      return { ok: false, message: `Record ${index} has no string "@type": every record needs one` };
    }
    types.add(record['@type']);
  }
  if (types.size > 1) {
    return { ok: false, message: `Records mix @type values (${[...types].join(', ')}): send one type per push` };
  }
  return { ok: true, type: [...types][0] ?? '', records: body as StoredRecord[] };
}
