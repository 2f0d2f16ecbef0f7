import type { TObject, TSchema } from '@sinclair/typebox';
import type { ClientObservers, DeliveryClient, HttpResult } from './delivery-client.js';
import type { SourceScope } from './engine/mapping.js';
import type { PlainObject } from './plain-object.js';

/** One record for the destination, and its record type (batches never mix types). */
export interface MappedRecord {
  readonly type: string;
  readonly record: PlainObject;
  /** The record schema it is checked against, when its type has more than one (an order update); default: the type. */
  readonly schema?: string;
}

/** Maps one message of one type; throws a TransformError for bad input. */
export type MessageHandler = (message: PlainObject, scope: SourceScope) => MappedRecord;

/** The body of a RudderStack REST request: exactly one entry is non-empty. */
export interface RequestBody {
  readonly JSON: PlainObject;
  readonly JSON_ARRAY: { readonly batch: string };
  readonly XML: PlainObject;
  readonly FORM: PlainObject;
}

export interface OutboundRequest {
  readonly endpoint: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: RequestBody;
}

/** What a destination that answered "received" said about the push's records. */
export interface PushCounts {
  /** The destination's id of the push, to look its per-record errors up. */
  readonly requestId: string;
  readonly accepted: number;
  readonly rejected: number;
}

/** What became of one push, as the destination reads its API's answer. */
export interface DeliveryVerdict {
  readonly delivered: boolean;
  /** Per-event status: 200 delivered, 400 rejected or refused, 403 credentials refused, 429/5xx retryable. */
  readonly status: number;
  readonly category: 'delivered' | 'rejected' | 'auth' | 'throttled' | 'retryable' | 'aborted';
  /** The HTTP status the destination answered (202 …); absent when it did not answer. */
  readonly answered?: number;
  /** Human-readable; never contains credentials. */
  readonly message: string;
  /** The counts of an answer that received the push (2xx), when it gave them. */
  readonly counts?: PushCounts;
  /** The answer itself (parsed when JSON), for callers that pass it on (the v1 proxy). */
  readonly answer?: unknown;
}

/** One per-record error the destination lists for a push. */
export interface RecordError {
  readonly message: string;
  /** Where in the record, in the destination's notation (e.g. `root > lastname`). */
  readonly path?: string;
}

/** Where a push went: what reading its per-record errors needs. */
export interface PushTarget {
  readonly endpoint: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface DeliveryRules {
  /** Pushes sharing a key share a rate limit (e.g. the API key, when the limit is per account). */
  rateKey(headers: Readonly<Record<string, string>>): string;
  interpret(result: HttpResult): DeliveryVerdict;
  /** The errors the destination lists for one push (best effort: undefined when they cannot be read). */
  readErrors?(client: DeliveryClient, target: PushTarget, requestId: string): Promise<RecordError[] | undefined>;
  /** Answer headers giving the destination's queue limit and the room left in it, in records. */
  readonly queueHeaders?: { readonly limit: string; readonly remaining: string };
}

/** One erasure request for one person, as the destination's API takes it. */
export interface ErasureRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * How the destination read an answer to an erasure request: accepted; the key refused (403);
 * throttled (429); a failure it did not act on, to retry (5xx); or this person refused (another
 * 4xx; its text is not kept, since it may quote the address).
 */
export type ErasureAnswer = 'accepted' | 'key-refused' | 'throttled' | 'retry' | 'person-refused';

/** A destination that can erase people (RudderStack's regulation worker, SPEC §8). */
export interface ErasureRules {
  /** The key its rate limit and refusals go by (an API key), from the job's validated config; throws a ConfigurationError for a key it cannot send. */
  key(config: PlainObject): string;
  /** The request that erases the person with this address (trimmed, as the job gave it). */
  request(address: string, config: PlainObject, jobId: string): ErasureRequest;
  /** What an HTTP answer to that request means. */
  interpret(status: number): ErasureAnswer;
  /** Requests allowed per key in any `windowMs`, from the service's settings. */
  rate(settings: ServiceSettings): { readonly limit: number; readonly windowMs: number };
}

/** The service's settings as loaded at start-up (every variable of EnvSchema, parsed). */
export type ServiceSettings = Readonly<Record<string, unknown>>;

/** The clients a destination sends with, built by its definition from its settings. */
export interface DestinationClients {
  /** Its pushes and the look-ups that read their answers. */
  readonly delivery: DeliveryClient;
  /** Its erasure requests, when it can erase people: one attempt per post (retries are the erasure queue's, each within the rate). */
  readonly erasure?: DeliveryClient;
  /** Lets go of connections (after the server has drained). */
  close(): Promise<void>;
}

/** Everything a destination contributes; the core (routes, pipeline, batching, delivery) is shared. */
export interface DestinationDefinition {
  /** RudderStack's definition name, upper-case (statTags `destType`, `/features`). */
  readonly name: string;
  /** Its name in error texts, e.g. "Acme". */
  readonly displayName: string;
  /** `message.integrations` keys of this destination, in precedence order; error texts name the first. */
  readonly integrationKeys: readonly [string, ...string[]];
  /** The service's defaults of fields that rows read as a check's context (SourceScope.defaults). */
  readonly defaults?: Readonly<Record<string, string>>;
  /** Handlers by lower-case message type. */
  readonly handlers: Readonly<Record<string, MessageHandler>>;
  /** Its record schemas by name: a record type, or a MappedRecord's `schema` (TypeBox, checked per record). */
  readonly recordSchemas: Readonly<Record<string, TSchema>>;
  readonly maxBatchSize: number;
  readonly maxRecordBytes: number;
  /** Validated config (e.g. the API key); throws ConfigurationError when it cannot be used. */
  parseConfig(config: PlainObject): PlainObject;
  /** The request that delivers `batch` (the JSON array text of a batch's records). */
  request(batch: string, config: PlainObject): OutboundRequest;
  /** How to deliver what `request` built, and how to read the answers. */
  readonly delivery: DeliveryRules;
  /** How it erases people, when it can (listed in /features `regulations`, served by /deleteUsers). */
  readonly erasure?: ErasureRules;
  /**
   * The service settings it reads (a part of EnvSchema): `createClients` and `proxyOrigins` are
   * handed the service's settings, of which they read only these.
   */
  readonly settings: TObject;
  /** Its clients, from its settings; `observers` are the app's metrics. */
  createClients(settings: ServiceSettings, observers: ClientObservers): DestinationClients;
  /** Origins (scheme://host[:port]) the proxy routes may send its stored requests to: no open relay. */
  proxyOrigins(settings: ServiceSettings): ReadonlySet<string>;
}
