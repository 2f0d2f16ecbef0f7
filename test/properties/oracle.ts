/**
 * Shared checks for the property tests: what the wire does to a body, what a processor or router
 * item must look like (docs/RUDDERSTACK.md, sections 3–4; docs/MAPPING.md), and prototype-pollution snapshots.
 */
import assert from 'node:assert/strict';
import type { Test } from 'tap';
import fc from 'fast-check';
import { checkOmetriaRecord } from '../../src/destinations/ometria/record-check.js';

export type Json = Record<string, any>;

export const ENDPOINT = 'https://api.ometria.com/v2/push';
export const RECORD_LIMIT = 61440;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Json, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);

/**
 * What the service receives when `value` is sent as JSON: a JSON round trip, then the edge drops
 * `__proto__` keys and `constructor` keys holding a `prototype` (Fastify `onProtoPoisoning` /
 * `onConstructorPoisoning: 'remove'`), at every depth.
 */
export function overTheWire<T>(value: T): T {
  if (value === undefined) return value;
  const copy = JSON.parse(JSON.stringify(value)) as T;
  const strip = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const object = node as Record<string, unknown>;
    if (Object.hasOwn(object, '__proto__')) Reflect.deleteProperty(object, '__proto__');
    const ctor = Object.hasOwn(object, 'constructor') ? object.constructor : undefined;
    if (typeof ctor === 'object' && ctor !== null && Object.hasOwn(ctor, 'prototype')) Reflect.deleteProperty(object, 'constructor');
    for (const key of Object.keys(object)) strip(object[key]);
  };
  strip(copy);
  return copy;
}

/** The record type docs/MAPPING.md predicts for a message that transformed. */
export function expectedRecordType(message: unknown): string | undefined {
  if (!isObject(message) || typeof message.type !== 'string') return undefined;
  const type = message.type.trim().toLowerCase();
  if (type === 'identify') return 'contact';
  if (type !== 'track' || typeof message.event !== 'string') return undefined;
  const orderEvents = ['order completed', 'order complete', 'complete', 'order shipped', 'shipped', 'order pending', 'pending',
    'order cancelled', 'cancelled', 'order refunded', 'refunded'];
  return orderEvents.includes(message.event.trim().toLowerCase()) ? 'order' : 'custom_event';
}

/** Dynamic config templates `{{ path || default }}` (docs/RUDDERSTACK.md, "9. Dynamic config"), resolved against the request item: the oracle for API keys. */
function resolveTemplate(text: string, item: Json): unknown {
  const match = /^\{\{(.*)\}\}$/s.exec(text.trim());
  if (match === null) return text;
  const inner = match[1] as string;
  const split = inner.indexOf('||');
  if (split < 0) return text;
  const path = inner.slice(0, split).trim();
  if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(path)) return text;
  const keys = path.split('.');
  if (keys[0] === 'event') keys[0] = 'message';
  let value: unknown = item;
  for (const key of keys) value = isObject(value) ? own(value, key) : undefined;
  if (value !== undefined && value !== null) return value;
  let fallback = inner.slice(split + 2).trim();
  if (fallback.length >= 2 && (fallback[0] === '"' || fallback[0] === "'") && fallback.endsWith(fallback[0])) {
    fallback = fallback.slice(1, -1).trim();
  }
  return fallback;
}

/** The destination's `Config.apiKey` after dynamic config, for one event. */
export function expectedApiKey(item: { message?: unknown; metadata?: unknown; destination?: unknown }): unknown {
  const { destination } = item;
  if (!isObject(destination) || !isObject(destination.Config)) return undefined;
  const key = own(destination.Config, 'apiKey');
  if (destination.hasDynamicConfig === false || typeof key !== 'string' || !key.includes('{{')) return key;
  return resolveTemplate(key, item as Json);
}

/** Every error text docs/MAPPING.md and docs/RUDDERSTACK.md name; anything else is a leak or a bug. */
const KNOWN_ERRORS: readonly RegExp[] = [
  /^Message must be an object: message is (missing|blank|null|a number|a boolean|a string|a numeric string|an array|an object)$/,
  /^Event type is required: type is (missing|blank|null|a number|a boolean|a string|a numeric string|an array|an object)$/,
  /^message type .* is not supported: Ometria takes identify and track$/s,
  /^Invalid Api Key: destination\.Config\.apiKey is (missing|blank|null|a number|a boolean|a string|a numeric string|an array|an object)$/,
  /^Missing required value from \[("[\w.]+",?)+\]$/,
  /^Missing required value from \["properties\.grand_total","properties\.total"\]: properties\.revenue is never read as the total, since it excludes shipping and tax; send properties\.total, the amount paid$/,
  /^Parameter listingId is required for identify: set integrations\.Ometria\.listingId, traits\.listingId or context\.traits\.listingId \(the contact's id in Ometria\)$/,
  /^Event name is required for track call: event is (missing|blank|null|a number|a boolean|a string|a numeric string|an array|an object)$/,
  /^Timestamp format must be ISO-8601: [\w.]+ (.+ )?is not a real date and time \(YYYY-MM-DDTHH:MM\[:SS\[\.fff\]\], then Z, ±HH:MM or nothing\)$/s,
  /^Parameter \w+ must be a number: [\w.]+ is .+; send a number or a plain decimal string such as "12\.50"$/s,
  /^Parameter currency should be only 3 characters and must follow format ISO 4217: properties\.currency (.+ )?is not an ISO 4217 currency code \(such as GBP, EUR or USD\)$/s,
  /^customer_id and email is required for order related event: set .+ \(the customer's (account id|email)\)$/,
  /^Record is too large for Ometria \(\d+ bytes, limit 61440\)$/,
  /^no destination found for id .*$/s,
  /^Missing destination: each event needs its destination \(with Config\)$/,
];

export function isKnownError(text: string): boolean {
  return KNOWN_ERRORS.some((re) => re.test(text));
}

/** No `__proto__`, `constructor` or `prototype` key anywhere in a record (docs/MAPPING.md, "Custom fields"). */
export function forbiddenKeyPath(value: unknown, path = ''): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return `${path}.${key}`;
    const found = forbiddenKeyPath((value as Json)[key], `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

const UPDATE_STATUSES = ['cancelled', 'refunded', 'partial_refund'];

/** One record of a 200 item: fits the schema, the size limit, carries no forbidden key. */
export function assertRecord(record: unknown, where: string): asserts record is Json {
  assert.ok(isObject(record), `${where}: record is an object`);
  const type = record['@type'] as string;
  // A cancellation or refund is an update of the order Ometria has (docs/MAPPING.md, "Order updates").
  const schema = type === 'order' && UPDATE_STATUSES.includes(record.status as string) ? 'order_update' : type;
  assert.equal(checkOmetriaRecord(schema, record), undefined, `${where}: record fits Ometria's ${schema} schema`);
  const bytes = Buffer.byteLength(JSON.stringify(record));
  assert.ok(bytes <= RECORD_LIMIT, `${where}: record is ${bytes} bytes, over ${RECORD_LIMIT}`);
  assert.equal(forbiddenKeyPath(record), undefined, `${where}: record carries a forbidden key`);
}

/** The REST request of docs/RUDDERSTACK.md, "3. Processor transform", headers carrying the event's API key. */
export function assertRestRequest(request: unknown, apiKey: unknown, where: string): Json[] {
  assert.ok(isObject(request), `${where}: request is an object`);
  assert.equal(request.version, '1');
  assert.equal(request.type, 'REST');
  assert.equal(request.method, 'POST');
  assert.equal(request.endpoint, ENDPOINT);
  assert.equal(typeof apiKey, 'string', `${where}: a 200 needs a string apiKey`);
  assert.ok((apiKey as string).trim() !== '', `${where}: a 200 needs a non-blank apiKey`);
  assert.deepEqual(request.headers, { 'X-Ometria-Auth': apiKey, 'Content-Type': 'application/json' }, `${where}: headers`);
  assert.deepEqual(request.params, {});
  assert.deepEqual(request.files, {});
  assert.deepEqual(request.body.JSON, {});
  assert.deepEqual(request.body.XML, {});
  assert.deepEqual(request.body.FORM, {});
  assert.equal(typeof request.body.JSON_ARRAY.batch, 'string', `${where}: batch is a string`);
  const records = JSON.parse(request.body.JSON_ARRAY.batch as string) as unknown;
  assert.ok(Array.isArray(records), `${where}: batch is a JSON array`);
  return records as Json[];
}

/** A 4xx item: non-empty error, string-only statTags with the context tags of docs/RUDDERSTACK.md, "6. Per-event errors and statTags". */
export function assertErrorItem(item: Json, feature: string, metadata: unknown, where: string): void {
  assert.ok(item.statusCode >= 400 && item.statusCode < 500, `${where}: status ${item.statusCode} is 4xx`);
  assert.equal(typeof item.error, 'string', `${where}: error is a string`);
  assert.ok((item.error as string).length > 0, `${where}: error is not empty`);
  assert.ok(isKnownError(item.error as string), `${where}: unexpected error text ${JSON.stringify(item.error)}`);
  assert.ok(isObject(item.statTags), `${where}: statTags is an object`);
  for (const [k, v] of Object.entries(item.statTags as Json)) assert.equal(typeof v, 'string', `${where}: statTags.${k} is a string`);
  assert.equal(item.statTags.destType, 'OMETRIA');
  assert.equal(item.statTags.module, 'destination');
  assert.equal(item.statTags.implementation, 'native');
  assert.equal(item.statTags.feature, feature);
  assert.equal(item.statTags.errorCategory, 'dataValidation');
  const destinationId = isObject(metadata) ? own(metadata, 'destinationId') : undefined;
  if (typeof destinationId === 'string') assert.equal(item.statTags.destinationId, destinationId);
  else assert.equal(item.statTags.destinationId, undefined);
}

/**
 * Runs a property with a fixed seed and reports the counterexample (and the seed) through tap.
 * Failures print fast-check's full report, so `seed` and `path` reproduce them.
 */
export async function checkProperty<Ts extends [unknown, ...unknown[]]>(
  t: Test,
  name: string,
  property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>,
  params: { seed: number; numRuns: number },
): Promise<void> {
  const details = await fc.check(property as fc.IAsyncProperty<Ts>, { ...params, endOnFailure: false });
  // Seed and path reproduce a failure; very long counterexamples are cut so the error stays readable.
  const full = details.failed ? fc.defaultReportMessage(details) ?? '' : '';
  const cut = full.length > 6000 ? `${full.slice(0, 6000)} …(${full.length - 6000} more characters)` : full;
  const report = details.failed ? `\n${cut}\nError: ${String(details.errorInstance)}` : '';
  t.notOk(details.failed, `${name} (seed ${params.seed}, ${params.numRuns} runs)${report}`);
}

const PROTOTYPES: readonly [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
];

/** The own keys of the built-in prototypes now; compare after the runs with `assertNoPollution`. */
export function prototypeSnapshot(): Map<string, string[]> {
  return new Map(PROTOTYPES.map(([name, proto]) => [name, Reflect.ownKeys(proto).map(String).sort()]));
}

export function assertNoPollution(t: Test, before: Map<string, string[]>): void {
  for (const [name, proto] of PROTOTYPES) {
    t.strictSame(Reflect.ownKeys(proto).map(String).sort(), before.get(name), `${name} has no new keys`);
  }
  const probe = {} as Json;
  for (const key of ['polluted', 'isAdmin', 'apiKey', 'jobId', 'x']) t.equal(probe[key], undefined, `({}).${key} is undefined`);
  t.equal(Object.getPrototypeOf(probe), Object.prototype, 'a fresh object still has Object.prototype');
}
