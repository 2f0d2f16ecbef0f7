import { Agent, request, type Dispatcher } from 'undici';
import {
  isRetryable,
  type AttemptReport,
  type DeliveryClient,
  type GetRequest,
  type HttpResult,
  type PostRequest,
} from '../core/delivery-client.js';
import { fullJitter, retryAfterMs } from './backoff.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { QueueRoom } from './queue-room.js';
import { RateLimiter } from './rate-limiter.js';

export interface HttpDeliveryClientOptions {
  /** One attempt: connect, headers and body. */
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** The whole post: attempts, backoff and rate-limit waits. */
  readonly deadlineMs: number;
  /** Per rate key (an API key); 0 = unlimited. */
  readonly ratePerSecond: number;
  readonly connections: number;
  /** Replaces the keep-alive pool (tests use undici's MockAgent). */
  readonly dispatcher?: Dispatcher;
  readonly random?: () => number;
  /** Deadlines, backoff, Retry-After and rate-limit waits (tests use a virtual clock); default the system's. */
  readonly clock?: Clock;
  /** Told about every attempt (metrics). */
  readonly onAttempt?: (attempt: AttemptReport) => void;
  /** The destination's queue, when its answers report one. */
  readonly room?: QueueRoom;
  /** Fixes `answerRoomMs()` (tests); by default it follows the answers' durations. */
  readonly answerRoomMs?: number;
}

/** Room for an answer before any has been timed (ms). */
const INITIAL_ANSWER_ROOM_MS = 500;

/**
 * The outbound HTTP client of the delivery port (undici lives only in src/http): a keep-alive
 * pool, a timeout per attempt, retries with full-jitter exponential backoff honouring Retry-After,
 * bounded by attempts and an overall deadline, and a per-key rate limit so bursts queue instead of
 * being throttled. Nothing in it is Ometria's: a destination's definition builds one from its own
 * settings (Ometria's pushes are upserts by id, so retrying them is safe).
 */
export class HttpDeliveryClient implements DeliveryClient {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly limiter: RateLimiter;
  private readonly clock: Clock;
  /** Smoothed duration of answers and its mean deviation (ms), as TCP times its retransmissions (RFC 6298). */
  private smoothedMs: number | undefined;
  private deviationMs = 0;

  constructor(private readonly options: HttpDeliveryClientOptions) {
    this.dispatcher =
      options.dispatcher ??
      new Agent({ connections: options.connections, keepAliveTimeout: 30_000, connect: { timeout: options.timeoutMs } });
    this.ownsDispatcher = options.dispatcher === undefined;
    this.clock = options.clock ?? systemClock;
    this.limiter = new RateLimiter(options.ratePerSecond, this.clock);
  }

  /** The time on the client's clock (epoch ms): what callers' deadlines for it are counted in. */
  now(): number {
    return this.clock.now();
  }

  /** How long one post may take, retries and waits included, unless its caller says less. */
  get deadlineMs(): number {
    return this.options.deadlineMs;
  }

  /** How often the rate limit frees a slot for one key under sustained load (ms); 0 when unlimited. */
  get slotIntervalMs(): number {
    return this.limiter.intervalMs;
  }

  /**
   * Room to leave for one answer (ms): the smoothed duration of the answers so far plus four
   * times its mean deviation (RFC 6298's retransmission timeout), within the attempt timeout;
   * 500 ms before the first answer.
   */
  answerRoomMs(): number {
    if (this.options.answerRoomMs !== undefined) return this.options.answerRoomMs;
    const estimate = this.smoothedMs === undefined ? INITIAL_ANSWER_ROOM_MS : this.smoothedMs + 4 * this.deviationMs;
    return Math.min(this.options.timeoutMs, Math.max(1, Math.ceil(estimate)));
  }

  private observeAnswer(durationMs: number): void {
    if (this.smoothedMs === undefined) {
      this.smoothedMs = durationMs;
      this.deviationMs = durationMs / 2;
      return;
    }
    this.deviationMs = 0.75 * this.deviationMs + 0.25 * Math.abs(this.smoothedMs - durationMs);
    this.smoothedMs = 0.875 * this.smoothedMs + 0.125 * durationMs;
  }

  async post(req: PostRequest): Promise<HttpResult> {
    const { maxAttempts, retryBaseMs, retryMaxMs, random, room } = this.options;
    const { clock } = this;
    const deadline = clock.now() + Math.min(this.options.deadlineMs, req.deadlineMs ?? Number.POSITIVE_INFINITY);
    // No attempt starts later than this: the caller needs the rest of the time after it.
    const startBy = deadline - (req.roomMs ?? 0);
    let last: HttpResult | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const short = req.records === undefined ? undefined : room?.shortOf(req.rateKey, req.records);
      if (short !== undefined) {
        // Held back as if refused with a 429: the queue said it has no room for this push.
        room?.forget(req.rateKey);
        last = {
          kind: 'transport',
          code: 'QUEUE_FULL',
          message: `the queue reported room for ${short} records and the push has ${req.records}`,
          attempts: attempt,
        };
      } else {
        // A retry finishes work already let through: it goes before first attempts.
        if (!(await this.limiter.acquire(req.rateKey, startBy, req.urgent === true || attempt > 1))) {
          return last ?? { kind: 'transport', code: 'RATE_LIMITED', message: 'no rate-limit slot in time', attempts: attempt - 1 };
        }
        const remaining = deadline - clock.now();
        if (remaining <= 0) break;
        last = await this.attempt('POST', req, attempt, Math.min(this.options.timeoutMs, remaining));
        if (last.kind === 'response') room?.observe(req.rateKey, req.label, last.headers);
      }
      if (!isRetryable(last) || attempt === maxAttempts) return last;
      const hinted = last.kind === 'response' ? retryAfterMs(last.headers['retry-after'], clock.now()) : undefined;
      const ms = hinted ?? fullJitter(attempt, retryBaseMs, retryMaxMs, random);
      if (clock.now() + ms > startBy || clock.now() + ms >= deadline) return last;
      await clock.sleep(ms);
    }
    return last ?? { kind: 'transport', code: 'ETIMEDOUT', message: 'deadline passed before the first attempt', attempts: 0 };
  }

  /** One GET within the rate limit and a timeout; never retried (callers read best effort). */
  async get(req: GetRequest): Promise<HttpResult> {
    const deadline = this.clock.now() + Math.min(this.options.deadlineMs, req.deadlineMs ?? Number.POSITIVE_INFINITY);
    if (!(await this.limiter.acquire(req.rateKey, deadline - (req.roomMs ?? 0), req.urgent))) {
      return { kind: 'transport', code: 'RATE_LIMITED', message: 'no rate-limit slot in time', attempts: 0 };
    }
    const remaining = deadline - this.clock.now();
    if (remaining <= 0) return { kind: 'transport', code: 'ETIMEDOUT', message: 'deadline passed before the request', attempts: 0 };
    return this.attempt('GET', req, 1, Math.min(this.options.timeoutMs, remaining));
  }

  private async attempt(method: 'GET' | 'POST', req: GetRequest & { body?: string }, attempt: number, timeoutMs: number): Promise<HttpResult> {
    const started = performance.now();
    let result: HttpResult;
    try {
      const res = await request(req.url, {
        method,
        headers: req.headers,
        body: req.body,
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(timeoutMs),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const body = await res.body.text();
      result = { kind: 'response', status: res.statusCode, headers: flatHeaders(res.headers), body, attempts: attempt };
      this.observeAnswer(performance.now() - started);
    } catch (error) {
      result = { kind: 'transport', ...describeFailure(error), attempts: attempt };
    }
    this.options.onAttempt?.({
      kind: method === 'POST' ? 'push' : 'lookup',
      attempt,
      outcome: result.kind === 'response' ? result.status : result.code,
      durationMs: performance.now() - started,
    });
    return result;
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** A stable code (ECONNRESET, ETIMEDOUT, …) and a message that carries no request data. */
function describeFailure(error: unknown): { code: string; message: string } {
  const err = error as { name?: unknown; code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const message = typeof err.message === 'string' ? err.message : String(error);
  if (err.name === 'TimeoutError' || (typeof err.code === 'string' && TIMEOUT_CODES.has(err.code))) {
    return { code: 'ETIMEDOUT', message: 'the destination did not answer in time' };
  }
  const code = typeof err.cause?.code === 'string' ? err.cause.code : typeof err.code === 'string' ? err.code : 'ERROR';
  return { code: code === 'UND_ERR_SOCKET' ? 'ECONNRESET' : code, message };
}
