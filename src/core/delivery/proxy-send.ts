import type { ProxyRequest } from '../../../schemas/rudder/proxy.js';
import type { DeliveryClient, HttpResult } from '../delivery-client.js';
import type { DeliveryVerdict, DestinationDefinition } from '../destination.js';
import { exceedsDepth } from '../depth.js';
import { EnvelopeError } from '../errors.js';
import { HOP_BY_HOP_HEADERS, headerValue } from '../headers.js';
import { isPlainObject } from '../plain-object.js';
import { MAX_VALUE_DEPTH } from '../engine/sanitize.js';
import { pushRecords } from './delivery.js';
import type { PipelineHooks } from '../transform/pipeline.js';
import { wireBody } from './wire-body.js';

export interface ProxyDeps {
  readonly client: DeliveryClient;
  /** Origins (scheme://host[:port]) the proxy may send to: no open relay. */
  readonly allowedOrigins: ReadonlySet<string>;
}

/** What the proxy did: the verdict, and the destination's answer when something was sent. */
export interface ProxySent {
  readonly verdict: DeliveryVerdict;
  readonly result: HttpResult | undefined;
  /** False when the request was refused and nothing was sent. */
  readonly sent: boolean;
  /** One verdict per job when its records were told apart (v1, a push that rejected some). */
  readonly perJob?: readonly DeliveryVerdict[];
  /** The verdict is the service's own reading, not the answer as such: its message is every job's error. */
  readonly judged?: boolean;
}

/** What the proxy may do besides relaying: tell rejected records apart (v1 answers per job). */
export interface ProxyOptions {
  /** The time budget: RudderStack's own timeout minus a margin (ms); else the client's deadline. */
  readonly deadlineMs?: number;
  readonly isolate?: boolean;
  readonly hooks?: Pick<PipelineHooks, 'onPush' | 'onRepush'>;
}

function refusal(message: string): DeliveryVerdict {
  return { delivered: false, status: 400, category: 'aborted', message };
}

function originOf(endpoint: string): string | undefined {
  try {
    return new URL(endpoint).origin;
  } catch {
    return undefined;
  }
}

function outboundHeaders(given: unknown, contentType: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (isPlainObject(given)) {
    for (const [name, value] of Object.entries(given)) {
      // Never forwarded: they describe the hop to us, not the request to the destination.
      if (typeof value === 'string' && !HOP_BY_HOP_HEADERS.has(name.toLowerCase())) headers[name] = value;
    }
  }
  // RudderStack sends no Content-Type and the reference's axios sends a form type: the body's own is sent.
  if (headerValue(headers, 'content-type') === undefined) headers['Content-Type'] = contentType;
  return headers;
}

/**
 * The delivery proxy (docs/RUDDERSTACK.md, "Delivery proxy"), with the destination's own reading
 * of the answer (a 2xx that rejected records is a failure here). The request is checked
 * before anything is sent.
 */
export async function proxySend(def: DestinationDefinition, req: ProxyRequest, deps: ProxyDeps, options: ProxyOptions = {}): Promise<ProxySent> {
  const { deadlineMs } = options;
  // The metadata is echoed in the answer: refuse what could not be written back.
  if (exceedsDepth(req.metadata, MAX_VALUE_DEPTH)) {
    throw new EnvelopeError(`Invalid request: metadata is nested deeper than ${MAX_VALUE_DEPTH} levels`);
  }
  const origin = originOf(req.endpoint);
  const body = wireBody(req.body);
  let verdict: DeliveryVerdict;
  if (origin === undefined || !deps.allowedOrigins.has(origin)) {
    verdict = refusal(
      `Refusing to send to ${origin ?? JSON.stringify(req.endpoint)}: not a configured ${def.displayName} origin (${[...deps.allowedOrigins].join(', ')})`,
    );
  } else if ((req.method ?? 'POST').toUpperCase() !== 'POST') {
    verdict = refusal(`Refusing to send: method ${req.method ?? ''} is not POST`);
  } else if (body === undefined) {
    verdict = refusal('Refusing to send: the request body has no JSON_ARRAY batch, JSON or FORM content');
  } else {
    const headers = outboundHeaders(req.headers, body.contentType);
    const deadline = deps.client.now() + Math.min(deadlineMs ?? deps.client.deadlineMs, deps.client.deadlineMs);
    const first = isPlainObject(req.metadata) ? req.metadata : Array.isArray(req.metadata) && isPlainObject(req.metadata[0]) ? req.metadata[0] : {};
    const label = typeof first.destinationId === 'string' ? first.destinationId : undefined;
    const target = { endpoint: req.endpoint, headers, ...(label === undefined ? {} : { label }) };
    const records = batchRecords(body.text);
    const jobs = Array.isArray(req.metadata) ? req.metadata.length : 1;
    // A router batch lists its records in the order of its metadata (the service's batches do, and
    // RudderStack keeps both as stored): v1 answers per job, so they can be told apart.
    const together =
      options.isolate !== true
        ? 'A v0 answer has one status for every job of the push'
        : records === undefined || records.length !== jobs
          ? 'The records of the push do not match its jobs one to one'
          : undefined;
    const pushed = await pushRecords(def, deps.client, target, { body: body.text, records }, deadline, options.hooks ?? {}, together);
    const { whole, verdicts } = pushed;
    // Per job only when the records were told apart; otherwise one verdict is every job's.
    if (verdicts !== undefined && verdicts.some((v) => v !== whole)) return { verdict: whole, result: pushed.result, sent: true, perJob: verdicts };
    const verdict = verdicts === undefined ? pushed.joint : whole;
    return { verdict, result: pushed.result, sent: true, ...(verdict === whole ? {} : { judged: true }) };
  }
  return { verdict, result: undefined, sent: false };
}

/** The records of a batch (JSON texts, in order) when its body is a JSON array, else undefined. */
function batchRecords(text: string): string[] | undefined {
  let records: unknown;
  try {
    records = JSON.parse(text);
  } catch {
    return undefined;
  }
  return Array.isArray(records) && records.length > 0 ? records.map((record) => JSON.stringify(record)) : undefined;
}
