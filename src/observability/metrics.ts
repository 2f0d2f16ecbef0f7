import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DeliveryVerdict, DestinationDefinition } from '../core/destination.js';
import type { EventOutcome, PipelineHooks, PipelineLogger } from '../core/transform/pipeline.js';
import type { Warning } from '../core/engine/warnings.js';
import type { AttemptReport } from '../core/delivery-client.js';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface EventCount {
  readonly labels: [destination: string, recordType: string, outcome: string];
  count: number;
  reported: number;
}

/** The service's Prometheus metrics, in a registry of its own (one per app: tests build many). */
export class Metrics {
  readonly registry = new Registry();

  private readonly requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Request latency by route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly events: Counter<'destination' | 'record_type' | 'outcome'> = new Counter({
    name: 'transformer_events_total',
    help: 'Events transformed, by destination, record type and outcome (ok, instrumentation, configuration, internal)',
    labelNames: ['destination', 'record_type', 'outcome'] as const,
    registers: [this.registry],
    collect: () => this.reportEventCounts(),
  });

  private readonly pushes = new Counter({
    name: 'delivery_pushes_total',
    help: 'Pushes to the destination API, by outcome (delivered, rejected, auth, throttled, retryable, aborted) and the HTTP status it answered (0 = no answer)',
    labelNames: ['destination', 'outcome', 'status_code'] as const,
    registers: [this.registry],
  });

  private readonly repushes = new Counter({
    name: 'delivery_repushes_total',
    help: 'Pushes made again to tell apart the records a push rejected, by outcome',
    labelNames: ['destination', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly delivered = new Counter({
    name: 'delivery_events_total',
    help: 'Events of /deliver and jobs of the v1 proxy by final status and outcome (delivered, invalid, rejected, auth, throttled, retryable, aborted)',
    labelNames: ['destination', 'status_code', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly dropped: Counter<'destination' | 'field' | 'reason'> = new Counter({
    name: 'transformer_dropped_values_total',
    help: 'Values skipped or dropped while transforming, by field path (list indexes as [], custom keys as *) and reason',
    labelNames: ['destination', 'field', 'reason'] as const,
    registers: [this.registry],
    collect: () => this.reportDropped(),
  });

  private readonly queueLimit = new Gauge({
    name: 'delivery_queue_limit',
    help: "The destination's queue limit in records, as its last answer reported it (Ometria: X-QueueSize-Limit), by destination id",
    labelNames: ['destination_id'] as const,
    registers: [this.registry],
  });

  private readonly queueRemaining = new Gauge({
    name: 'delivery_queue_remaining',
    help: "Room left in the destination's queue in records, as its last answer reported it (X-QueueSize-Remaining), by destination id",
    labelNames: ['destination_id'] as const,
    registers: [this.registry],
  });

  private readonly attempts = new Histogram({
    name: 'delivery_attempt_duration_seconds',
    help: 'Latency of each push attempt to the destination API, by the HTTP status it answered or the transport error code',
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly lookups = new Histogram({
    name: 'delivery_lookup_duration_seconds',
    help: "Latency of look-ups of what the destination says about a push (Ometria's per-record errors), by HTTP status or transport error code",
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly retries = new Counter({
    name: 'delivery_retries_total',
    help: 'Outbound attempts after the first (retries)',
    registers: [this.registry],
  });

  private readonly upstream = new Histogram({
    name: 'upstream_transformer_duration_seconds',
    help: 'Latency of requests passed through to UPSTREAM_TRANSFORMER_URL, by status (0 = no answer)',
    labelNames: ['status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly shed = new Counter({
    name: 'load_shed_total',
    help: 'Requests refused with 503 because the process was under pressure, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly erased = new Counter({
    name: 'erasure_people_erased_total',
    help: "People the destination accepted an erasure request for (RudderStack's regulation worker, /deleteUsers)",
    labelNames: ['destination'] as const,
    registers: [this.registry],
  });

  private readonly erasureFailed = new Counter({
    name: 'erasure_people_failed_total',
    help: 'People not erased, by reason: key_refused (the destination refused the API key), person_refused (it refused the request)',
    labelNames: ['destination', 'reason'] as const,
    registers: [this.registry],
  });

  /** Where the erasure gauges are read, by destination (each destination's erasure service). */
  private readonly erasureQueues = new Map<string, () => { readonly count: number; readonly oldestAgeMs: number }>();

  private readonly erasureWaiting = new Gauge({
    name: 'erasure_people_waiting',
    help: 'People waiting to be sent to the destination in this process (its rate limit, a retry, another process sending them)',
    labelNames: ['destination'] as const,
    registers: [this.registry],
    collect: () => this.reportErasureQueues(),
  });

  private readonly erasureOldest = new Gauge({
    name: 'erasure_oldest_waiting_seconds',
    help: 'How long the person waiting longest has waited to be sent (0 when nobody waits)',
    labelNames: ['destination'] as const,
    registers: [this.registry],
    // Across cluster workers the oldest is the largest, not the sum.
    aggregator: 'max',
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe({ method, route, status_code: String(status) }, seconds);
  }

  // Called for every event: counted in plain numbers here, handed to the counter when it is
  // scraped (prom-client hashes the labels on every inc, which would cost more than a transform).
  // Keyed by destination, then record type or error type: constant strings, no key to build.
  private readonly eventCounts = new Map<string, Map<string, EventCount>>();

  readonly onOutcome = (def: DestinationDefinition, outcome: EventOutcome): void => {
    let byOutcome = this.eventCounts.get(def.name);
    if (byOutcome === undefined) this.eventCounts.set(def.name, (byOutcome = new Map()));
    const key = outcome.ok ? outcome.type : outcome.error.internal ? 'internal' : (outcome.error.classTags.errorType ?? 'error');
    const entry = byOutcome.get(key);
    if (entry !== undefined) {
      entry.count += 1;
      return;
    }
    const labels: EventCount['labels'] = outcome.ok ? [def.name, outcome.type, 'ok'] : [def.name, 'none', key];
    byOutcome.set(key, { labels, count: 1, reported: 0 });
  };

  private reportEventCounts(): void {
    for (const entry of [...this.eventCounts.values()].flatMap((byOutcome) => [...byOutcome.values()])) {
      if (entry.count === entry.reported) continue;
      this.events.labels(...entry.labels).inc(entry.count - entry.reported);
      entry.reported = entry.count;
    }
  }

  readonly onPush = (def: DestinationDefinition, verdict: DeliveryVerdict): void => {
    this.pushes.inc({ destination: def.name, outcome: verdict.category, status_code: String(verdict.answered ?? 0) });
  };

  readonly onRepush = (def: DestinationDefinition, verdict: DeliveryVerdict): void => {
    this.repushes.inc({ destination: def.name, outcome: verdict.category });
  };

  readonly onDelivered = (def: DestinationDefinition, status: number, outcome: string): void => {
    this.delivered.inc({ destination: def.name, status_code: String(status), outcome });
  };

  // Per warning, like events: plain counts here, handed over when scraped.
  private readonly droppedCounts = new Map<string, { labels: [string, string, string]; count: number; reported: number }>();

  readonly onWarning = (def: DestinationDefinition, warning: Warning): void => {
    const key = `${def.name}\u0000${warning.field}\u0000${warning.code}`;
    const entry = this.droppedCounts.get(key);
    if (entry === undefined) this.droppedCounts.set(key, { labels: [def.name, warning.field, warning.code], count: 1, reported: 0 });
    else entry.count += 1;
  };

  private reportDropped(): void {
    for (const entry of this.droppedCounts.values()) {
      if (entry.count === entry.reported) continue;
      this.dropped.labels(...entry.labels).inc(entry.count - entry.reported);
      entry.reported = entry.count;
    }
  }

  readonly onQueue = (destinationId: string, limit: number, remaining: number): void => {
    this.queueLimit.set({ destination_id: destinationId }, limit);
    this.queueRemaining.set({ destination_id: destinationId }, remaining);
  };

  readonly onAttempt = (report: AttemptReport): void => {
    if (report.kind === 'lookup') {
      this.lookups.observe({ outcome: String(report.outcome) }, report.durationMs / 1000);
      return;
    }
    if (report.attempt > 1) this.retries.inc();
    this.attempts.observe({ outcome: String(report.outcome) }, report.durationMs / 1000);
  };

  // Counted by the process whose request was accepted, so that processes' counts add up.
  readonly onErasureSettled = (destination: string, state: 'waiting' | 'accepted' | 'key-refused' | 'person-refused', sent: boolean): void => {
    if (state === 'accepted') {
      if (sent) this.erased.inc({ destination });
      return;
    }
    if (state !== 'waiting') this.erasureFailed.inc({ destination, reason: state.replace('-', '_') });
  };

  /** The gauges of `destination`'s erasure queue read `waiting` when scraped. */
  watchErasure(destination: string, waiting: () => { readonly count: number; readonly oldestAgeMs: number }): void {
    this.erasureQueues.set(destination, waiting);
    this.erased.inc({ destination }, 0);
  }

  private reportErasureQueues(): void {
    for (const [destination, waiting] of this.erasureQueues) {
      const { count, oldestAgeMs } = waiting();
      this.erasureWaiting.set({ destination }, count);
      this.erasureOldest.set({ destination }, oldestAgeMs / 1000);
    }
  }

  observeUpstream(status: number, seconds: number): void {
    this.upstream.observe({ status_code: String(status) }, seconds);
  }

  observeShed(reason: string): void {
    this.shed.inc({ reason });
  }

  /** Pipeline hooks for one request: its logger, and these metrics. */
  hooks(log: PipelineLogger): PipelineHooks {
    return {
      log,
      onOutcome: this.onOutcome,
      onPush: this.onPush,
      onRepush: this.onRepush,
      onDelivered: this.onDelivered,
      onWarning: this.onWarning,
    };
  }
}
