/**
 * The delivery port: what the core's delivery (pushRecords, isolation, the proxy) and a
 * destination's answer readers need from an outbound HTTP client. `src/http` implements it on
 * undici (retries, backoff, timeouts, rate limit, queue room, an injected clock); a destination's
 * definition builds its own client from its settings (DestinationDefinition.createClients).
 */

export interface PostRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Requests sharing a key share its rate limit (e.g. an API key, when the limit is per account). */
  readonly rateKey: string;
  /** A tighter overall deadline than the client's, e.g. the caller's own timeout. */
  readonly deadlineMs?: number;
  /** Records in the body: what a destination queue must have room for. */
  readonly records?: number;
  /** Who the push is for (a destination id: never the key), for the queue gauges. */
  readonly label?: string;
  /**
   * Time to keep between the start of any attempt and the deadline (ms, default 0): its answer,
   * and whatever the caller must still do after it. A rate-limit slot or a retry that would start
   * later is not taken: the post ends at once with what it has.
   */
  readonly roomMs?: number;
  /** Goes before other requests waiting for the same rate limit (as its own retries do): the rest of work already under way. */
  readonly urgent?: boolean;
}

/** A single GET (no retries): reads that are best effort, such as a destination's error list. */
export interface GetRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly rateKey: string;
  readonly deadlineMs?: number;
  /** As for a post: the GET starts no later than this long before its deadline. */
  readonly roomMs?: number;
  readonly urgent?: boolean;
}

export interface HttpResponse {
  readonly kind: 'response';
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly attempts: number;
}

/**
 * No HTTP answer: connection refused or reset, timeout, or no rate-limit slot in time (code
 * RATE_LIMITED). `attempts` 0: nothing was sent.
 */
export interface TransportFailure {
  readonly kind: 'transport';
  readonly code: string;
  readonly message: string;
  readonly attempts: number;
}

export type HttpResult = HttpResponse | TransportFailure;

/** No answer, 429 or 5xx: it may succeed later. */
export function isRetryable(result: HttpResult): boolean {
  return result.kind === 'transport' || result.status === 429 || result.status >= 500;
}

/** One attempt of a client, as the metrics count it. */
export interface AttemptReport {
  /** A push (POST), or a look-up of what the destination says about one (GET, e.g. its per-record errors). */
  readonly kind: 'push' | 'lookup';
  readonly attempt: number;
  /** HTTP status, or the transport error code. */
  readonly outcome: number | string;
  readonly durationMs: number;
}

/** What the app's metrics want to hear from a destination's clients. */
export interface ClientObservers {
  /** Every attempt of every request. */
  readonly onAttempt?: (attempt: AttemptReport) => void;
  /** The last figures of a destination's queue; `label` names its user (a destination id, never a key). */
  readonly onQueue?: (label: string, limit: number, remaining: number) => void;
}

/** What delivery, isolation and the proxy use of a client. */
export interface DeliveryClient {
  /** A push, retried within the client's rules and the request's deadline. */
  post(req: PostRequest): Promise<HttpResult>;
  /** One look-up, never retried. */
  get(req: GetRequest): Promise<HttpResult>;
  /** The time on the client's clock (epoch ms): what callers' deadlines for it are counted in. */
  now(): number;
  /** How long one post may take, retries and waits included, unless its caller says less. */
  readonly deadlineMs: number;
  /** Room to leave for one answer (ms). */
  answerRoomMs(): number;
  /** How often the rate limit frees a slot for one key under sustained load (ms); 0 when unlimited. */
  readonly slotIntervalMs: number;
}
