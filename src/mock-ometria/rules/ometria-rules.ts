import type { PushErrorEntry, StoredRecord } from '../schemas.js';
import { isJsonObject } from './json-object.js';
import { isIsoTimestamp } from './iso-timestamp.js';
import { MARKETING_OPTIN_VALUES, MAX_RECORD_BYTES, RECORD_TOO_LARGE, RECORD_TYPES } from './ometria-limits.js';

// How the mock judges one record, from Ometria's documented record shapes (docs/MOCK-OMETRIA.md,
// "The record rules"), not from the service's schemas: only the rules the docs make plain are
// enforced, and anything they leave open (other fields, extra fields, string lengths) is let through.

/** A per-record error as _errors lists it, before the push's request_id is known. */
export type RecordRejection = Omit<PushErrorEntry, 'request_id'>;

type Kind = { readonly test: (value: unknown) => boolean; readonly expected: string };

const TEXT: Kind = { test: (v) => typeof v === 'string' && v !== '', expected: 'a non-empty string' };
const TIMESTAMP: Kind = { test: isIsoTimestamp, expected: 'an ISO 8601 date-time such as 2024-05-01T10:00:00Z' };
// JSON numbers are always finite; a numeric string is not an amount.
const AMOUNT: Kind = { test: (v) => typeof v === 'number', expected: 'a number' };
const CURRENCY: Kind = { test: (v) => typeof v === 'string' && /^[A-Z]{3}$/.test(v), expected: 'a three-letter ISO 4217 code such as GBP' };
const BOOLEAN: Kind = { test: (v) => typeof v === 'boolean', expected: 'true or false' };
const OBJECT: Kind = { test: isJsonObject, expected: 'an object' };
const OPTIN: Kind = {
  test: (v) => typeof v === 'string' && MARKETING_OPTIN_VALUES.includes(v),
  expected: `one of ${MARKETING_OPTIN_VALUES.join(', ')}`,
};

/** A field checked when present; `required`: it must be present when the push creates the record. */
type FieldRule = { readonly path: readonly string[]; readonly kind: Kind; readonly required?: true };

// Pushes are upserts and partial updates are documented (an order re-sent with only its id,
// status and is_valid), so what a new record needs is not asked of an update to a stored one.
const FIELD_RULES: Readonly<Record<string, readonly FieldRule[]>> = {
  contact: [
    { path: ['email'], kind: TEXT, required: true },
    { path: ['marketing_optin'], kind: OPTIN },
  ],
  order: [
    { path: ['timestamp'], kind: TIMESTAMP, required: true },
    { path: ['grand_total'], kind: AMOUNT, required: true },
    { path: ['currency'], kind: CURRENCY, required: true },
    { path: ['is_valid'], kind: BOOLEAN },
    { path: ['customer'], kind: OBJECT },
    { path: ['customer', 'email'], kind: TEXT },
  ],
  custom_event: [
    { path: ['event_type'], kind: TEXT, required: true },
    { path: ['timestamp'], kind: TIMESTAMP, required: true },
    { path: ['identity_email'], kind: TEXT },
    { path: ['identity_account_id'], kind: TEXT },
    { path: ['profile_id'], kind: TEXT },
  ],
  // Ometria's notes document no product field beyond @type and id.
  product: [],
};

// A custom event always belongs to some contact, so one of these must say which.
const CUSTOM_EVENT_IDENTITY = ['identity_email', 'identity_account_id', 'profile_id'];

/** Ometria's error_path: ["customer", "email"] is "root > customer > email". */
export function errorPath(path: readonly string[]): string {
  return ['root', ...path].join(' > ');
}

/** The value at `path`; null counts as absent (the docs do not say whether null clears a field). */
export function valueAt(record: StoredRecord, path: readonly string[]): unknown {
  let value: unknown = record;
  for (const key of path) value = isJsonObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
  return value ?? undefined;
}

/** The record's id as _errors names it: a string, or a number written out (it is refused below). */
export function recordIdOf(record: StoredRecord): { record_id?: string } {
  const id = record.id;
  return typeof id === 'string' || typeof id === 'number' ? { record_id: String(id) } : {};
}

/**
 * Why Ometria would reject this record, or undefined when it passes: its size, its @type, its id,
 * then its type's fields. `isNew`: no record of this @type and id is stored yet.
 */
export function judgeRecord(type: string, record: StoredRecord, isNew: boolean): RecordRejection | undefined {
  const recordId = recordIdOf(record);
  const reject = (path: readonly string[], message: string): RecordRejection => ({
    error_message: `Payload invalid: ${message}`,
    error_path: errorPath(path),
    ...recordId,
  });
  // Measured as compact JSON, which is what a client sends; the body's own whitespace is not counted.
  if (Buffer.byteLength(JSON.stringify(record), 'utf8') > MAX_RECORD_BYTES) {
    return { error_message: RECORD_TOO_LARGE, error_path: 'root', ...recordId };
  }
  // Looked up through RECORD_TYPES so that "constructor" or "__proto__" never reaches Object's own.
  const rules = RECORD_TYPES.includes(type) ? FIELD_RULES[type] : undefined;
  if (rules === undefined) return reject(['@type'], `@type ${JSON.stringify(type)} is not one of ${RECORD_TYPES.join(', ')}.`);
  // Ids are strings in every documented example; a number is refused so a client sending one is
  // caught here rather than trusted to whatever conversion Ometria might or might not do.
  if (record.id === undefined || record.id === null) return reject(['id'], 'id is required (a non-empty string).');
  if (!TEXT.test(record.id)) return reject(['id'], 'id must be a non-empty string.');

  for (const { path, kind, required } of rules) {
    const value = valueAt(record, path);
    const name = path.join('.');
    if (value === undefined) {
      if (required === true && isNew) return reject(path, `${name} is required for a new ${type} (${kind.expected}).`);
    } else if (!kind.test(value)) {
      return reject(path, `${name} must be ${kind.expected}.`);
    }
  }
  if (type === 'custom_event' && isNew && CUSTOM_EVENT_IDENTITY.every((field) => valueAt(record, [field]) === undefined)) {
    return reject([], `a new custom_event needs one of ${CUSTOM_EVENT_IDENTITY.join(', ')}: each custom event belongs to a contact.`);
  }
  return undefined;
}
