import type { PushErrorEntry, StoredRecord } from '../../schemas/mock-ometria.js';
import { isPlainObject } from '../core/plain-object.js';
import { OMETRIA_MAX_BATCH, OMETRIA_MAX_RECORD_BYTES } from '../destinations/ometria/definition.js';
import { checkOmetriaRecord } from '../destinations/ometria/record-check.js';

/** A push body that can be processed record by record, or why the whole push is refused (400). */
export type PushBody =
  | { readonly ok: true; readonly type: string; readonly records: readonly StoredRecord[] }
  | { readonly ok: false; readonly message: string };

/** A per-record error as _errors lists it, before the push's request_id is known. */
export type RecordRejection = Omit<PushErrorEntry, 'request_id'>;

/**
 * Whole-body checks: JSON, an array, 1..100 records, each an object with a string `@type`, all
 * the same (Ometria: "An API call should only ever include one object type").
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
  if (body.length > OMETRIA_MAX_BATCH) {
    return { ok: false, message: `Body has ${body.length} records: at most ${OMETRIA_MAX_BATCH} per push` };
  }
  const types = new Set<string>();
  for (const [index, record] of body.entries()) {
    if (!isPlainObject(record) || typeof record['@type'] !== 'string') {
      return { ok: false, message: `Record ${index} has no string "@type": every record needs one` };
    }
    types.add(record['@type']);
  }
  if (types.size > 1) {
    return { ok: false, message: `Records mix @type values (${[...types].join(', ')}): send one type per push` };
  }
  return { ok: true, type: [...types][0] ?? '', records: body as StoredRecord[] };
}

/** Ometria's error_path: a JSON pointer such as "/customer/email" becomes "root > customer > email". */
export function errorPath(pointer: string): string {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  return ['root', ...segments].join(' > ');
}

// checkOmetriaRecord names the field as a JSON pointer in its text ("... schema at /lastname: ...").
const POINTER_IN_MESSAGE = / schema at (\/.*?): /;

/** Why Ometria would reject this record (size, then schema), or undefined when it is accepted. */
export function judgeRecord(type: string, record: StoredRecord): RecordRejection | undefined {
  const id = record.id;
  const recordId = typeof id === 'string' || typeof id === 'number' ? { record_id: String(id) } : {};
  // Measured as compact JSON, which is what a client sends; the body's own whitespace is not counted.
  if (Buffer.byteLength(JSON.stringify(record), 'utf8') > OMETRIA_MAX_RECORD_BYTES) {
    return { error_message: 'Payload invalid: Record is too large.', error_path: 'root', ...recordId };
  }
  const message = checkOmetriaRecord(type, record);
  if (message === undefined) return undefined;
  const pointer = POINTER_IN_MESSAGE.exec(message)?.[1];
  const path = pointer !== undefined ? errorPath(pointer) : message.startsWith('Unknown') ? 'root > @type' : 'root';
  return { error_message: message, error_path: path, ...recordId };
}
