import { Type, type Static } from '@sinclair/typebox';

// Shapes of the mock Ometria Push API: its env, fault settings and the bodies of its control and
// inspection routes. Ometria's own answers mirror its documented shapes. Nothing here comes from
// the service's schemas, so the mock's env and answers stay its own.

const Share = (description: string) => Type.Number({ minimum: 0, maximum: 1, default: 0, description });
const RateLimitSchema = Type.Integer({
  minimum: 0,
  default: 0,
  description: 'Pushes allowed per API key per one-second window, 429 beyond; 0 = no limit',
});
const FailRateSchema = Share('Share of pushes answered 500');
const ThrottleRateSchema = Share('Share of pushes answered 429');
const DropRateSchema = Share('Share of pushes whose connection is destroyed without an answer');
const DelayMsSchema = Type.Integer({ minimum: 0, maximum: 600_000, default: 0, description: 'Latency added before answering a push' });
const SeedSchema = Type.Integer({
  minimum: 0,
  maximum: 0xffff_ffff,
  default: 1,
  description: 'Seed of the PRNG behind failRate, throttleRate and dropRate',
});

/**
 * Fault injection settings, as GET /_control/faults answers them. Every fault is off at its
 * default. The three shares are slices of one draw per push, so together they must not exceed 1.
 */
export const FaultSettingsSchema = Type.Object(
  {
    rateLimitPerSecond: RateLimitSchema,
    failRate: FailRateSchema,
    throttleRate: ThrottleRateSchema,
    retryAfterSeconds: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Retry-After value sent with every 429; absent = no header' }),
    ),
    dropRate: DropRateSchema,
    delayMs: DelayMsSchema,
    seed: SeedSchema,
  },
  { additionalProperties: false },
);
export type FaultSettings = Static<typeof FaultSettingsSchema>;

/** PUT /_control/faults: replaces every setting; an omitted one takes its default (off). */
export const FaultSettingsUpdateSchema = Type.Partial(FaultSettingsSchema, { additionalProperties: false });
export type FaultSettingsUpdate = Static<typeof FaultSettingsUpdateSchema>;

const QueueLimitSchema = Type.Integer({
  minimum: 0,
  default: 0,
  description: 'Records that may wait in the push queue (X-QueueSize-* headers, 429 when a push would not fit); 0 = off',
});
const QueueDrainSchema = Type.Integer({ minimum: 0, description: 'Records per second leaving the queue; 0 = never drains' });

/** The push queue, as GET /_control/queue answers its settings (drainPerSecond resolved). */
export const QueueSettingsSchema = Type.Object(
  { limit: QueueLimitSchema, drainPerSecond: QueueDrainSchema },
  { additionalProperties: false },
);
export type QueueSettings = Static<typeof QueueSettingsSchema>;

/** PUT /_control/queue: replaces both; limit omitted = off, drainPerSecond omitted = the limit per second. */
export const QueueSettingsUpdateSchema = Type.Partial(QueueSettingsSchema, { additionalProperties: false });
export type QueueSettingsUpdate = Static<typeof QueueSettingsUpdateSchema>;

/** GET /_control/queue: the settings and how many records wait right now. */
export const QueueStateSchema = Type.Object({
  limit: QueueLimitSchema,
  drainPerSecond: QueueDrainSchema,
  waiting: Type.Integer({ minimum: 0, description: 'Records waiting now (a part-drained record still waits)' }),
});
export type QueueState = Static<typeof QueueStateSchema>;

/**
 * Rules that make chosen, otherwise valid records rejected, as GET /_control/rejections answers
 * them. A record is rejected when its `id` is listed, or when its email (a contact's `email`, a
 * custom event's `identity_email`, an order's `customer.email`) matches `emailPattern`.
 */
export const RejectionRulesSchema = Type.Object(
  {
    ids: Type.Array(Type.String({ minLength: 1 }), { description: 'Record ids to reject, of any @type' }),
    emailPattern: Type.Optional(
      Type.String({ minLength: 1, description: 'JavaScript regular expression, no flags, searched in the email; absent = none' }),
    ),
  },
  { additionalProperties: false },
);
export type RejectionRules = Static<typeof RejectionRulesSchema>;

/** PUT /_control/rejections: replaces the rules; an omitted one is off. */
export const RejectionRulesUpdateSchema = Type.Partial(RejectionRulesSchema, { additionalProperties: false });
export type RejectionRulesUpdate = Static<typeof RejectionRulesUpdateSchema>;

const DeletionShare = (description: string) => Share(`Share of data deletion requests ${description}`);
const DeletionRateSchema = Type.Integer({
  minimum: 0,
  default: 6,
  description: 'Data deletion requests allowed per API key in any 60 s (Ometria: six a minute), 429 beyond; 0 = no limit',
});
const DeletionFailRateSchema = DeletionShare('answered 500 (Ometria did not act)');
const DeletionThrottleRateSchema = DeletionShare('answered 429 (Ometria did not act)');
const DeletionDropRateSchema = DeletionShare('whose connection is destroyed before Ometria acts (nothing recorded)');
const DeletionLostAnswerRateSchema = DeletionShare(
  'judged and, when accepted, recorded, whose connection is then destroyed without the answer',
);
const DeletionDelayMsSchema = Type.Integer({
  minimum: 0,
  maximum: 600_000,
  default: 0,
  description: 'Latency added before answering a data deletion request',
});
const DeletionSeedSchema = Type.Integer({
  minimum: 0,
  maximum: 0xffff_ffff,
  default: 1,
  description: 'Seed of the PRNG behind the four data deletion shares',
});

/**
 * Settings of POST /v2/data-deletion-requests, as GET /_control/deletions answers them: Ometria's
 * rate limit (on at its documented six a minute) and injected faults (off). The four shares are
 * slices of one draw per request, so together they must not exceed 1.
 */
export const DeletionSettingsSchema = Type.Object(
  {
    ratePerMinute: DeletionRateSchema,
    failRate: DeletionFailRateSchema,
    throttleRate: DeletionThrottleRateSchema,
    retryAfterSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'Retry-After sent with the injected 429s (throttleRate); absent = no header. Rate-limit 429s always carry one',
      }),
    ),
    dropRate: DeletionDropRateSchema,
    lostAnswerRate: DeletionLostAnswerRateSchema,
    delayMs: DeletionDelayMsSchema,
    seed: DeletionSeedSchema,
  },
  { additionalProperties: false },
);
export type DeletionSettings = Static<typeof DeletionSettingsSchema>;

/** PUT /_control/deletions: replaces every setting; an omitted one takes its default (six a minute, faults off). */
export const DeletionSettingsUpdateSchema = Type.Partial(DeletionSettingsSchema, { additionalProperties: false });
export type DeletionSettingsUpdate = Static<typeof DeletionSettingsUpdateSchema>;

/** Every environment variable `npm run mock:ometria` reads, with its default. */
export const MockOmetriaEnvSchema = Type.Object({
  MOCK_OMETRIA_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 9099, description: 'Port to listen on' }),
  MOCK_OMETRIA_HOST: Type.String({ minLength: 1, default: '0.0.0.0', description: 'Address to listen on' }),
  // A string the loader keeps as is; the comma list is split by the mock.
  MOCK_OMETRIA_API_KEYS: Type.String({
    default: '',
    description: 'Comma-separated accepted X-Ometria-Auth keys; empty = any non-empty key',
  }),
  MOCK_OMETRIA_RATE_LIMIT: RateLimitSchema,
  MOCK_OMETRIA_FAIL_RATE: FailRateSchema,
  MOCK_OMETRIA_THROTTLE_RATE: ThrottleRateSchema,
  // A string because "unset" (no header) and 0 ("Retry-After: 0") must stay apart.
  MOCK_OMETRIA_RETRY_AFTER: Type.String({
    pattern: '^[0-9]{0,9}$',
    default: '',
    description: 'Retry-After seconds sent with every 429; empty = no header',
  }),
  MOCK_OMETRIA_DROP_RATE: DropRateSchema,
  MOCK_OMETRIA_DELAY_MS: DelayMsSchema,
  MOCK_OMETRIA_SEED: SeedSchema,
  // Strings the mock splits or compiles itself (an invalid regular expression is an EnvError).
  MOCK_OMETRIA_REJECT_IDS: Type.String({ default: '', description: 'Comma-separated record ids to reject; empty = none' }),
  MOCK_OMETRIA_REJECT_EMAILS: Type.String({
    default: '',
    description: 'Regular expression; records whose email matches are rejected; empty = none',
  }),
  MOCK_OMETRIA_QUEUE_LIMIT: QueueLimitSchema,
  // A string because "unset" (the limit per second) and 0 (never drains) must stay apart.
  MOCK_OMETRIA_QUEUE_DRAIN_PER_SECOND: Type.String({
    pattern: '^[0-9]{0,9}$',
    default: '',
    description: 'Records per second leaving the queue; empty = the queue limit per second',
  }),
  MOCK_OMETRIA_DELETION_RATE_PER_MINUTE: DeletionRateSchema,
  MOCK_OMETRIA_DELETION_FAIL_RATE: DeletionFailRateSchema,
  MOCK_OMETRIA_DELETION_THROTTLE_RATE: DeletionThrottleRateSchema,
  // A string because "unset" (no header) and 0 ("Retry-After: 0") must stay apart.
  MOCK_OMETRIA_DELETION_RETRY_AFTER: Type.String({
    pattern: '^[0-9]{0,9}$',
    default: '',
    description: 'Retry-After seconds sent with injected data deletion 429s; empty = no header',
  }),
  MOCK_OMETRIA_DELETION_DROP_RATE: DeletionDropRateSchema,
  MOCK_OMETRIA_DELETION_LOST_ANSWER_RATE: DeletionLostAnswerRateSchema,
  MOCK_OMETRIA_DELETION_DELAY_MS: DeletionDelayMsSchema,
  MOCK_OMETRIA_DELETION_SEED: DeletionSeedSchema,
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info', description: 'pino log level' },
  ),
});
export type MockOmetriaEnv = Static<typeof MockOmetriaEnvSchema>;

/** Ometria's answer to a received push (202; Ometria documents no code, any 2xx means received). */
export const PushAcceptedSchema = Type.Object({
  status: Type.Literal('OK'),
  request_id: Type.String(),
  accepted: Type.Integer({ minimum: 0 }),
  rejected: Type.Integer({ minimum: 0 }),
});
export type PushAccepted = Static<typeof PushAcceptedSchema>;

/** Every refusal of the mock (403, 400, 429, 500 and its control-route errors). */
export const MockErrorSchema = Type.Object({ status: Type.Literal('ERROR'), message: Type.String() });
export type MockError = Static<typeof MockErrorSchema>;

/** One entry of GET /v2/push/_errors. */
export const PushErrorEntrySchema = Type.Object({
  error_message: Type.String(),
  error_path: Type.String({ description: 'Like Ometria\'s "root > lastname"' }),
  request_id: Type.String(),
  record_id: Type.Optional(Type.String()),
});
export type PushErrorEntry = Static<typeof PushErrorEntrySchema>;

/** GET /v2/push/_errors: the most recent per-record errors, newest first. */
export const PushErrorListSchema = Type.Array(PushErrorEntrySchema);

/** GET /v2/push/_errors?request_id=: the mock's addition, so one push's errors can be read alone. */
export const PushErrorsQuerySchema = Type.Object(
  {
    request_id: Type.Optional(Type.String({ format: 'uuid', description: "Only this push's errors (its answer's request_id)" })),
  },
  { additionalProperties: false },
);

/** A stored record: whatever fields were merged into it. */
export const StoredRecordSchema = Type.Record(Type.String(), Type.Unknown());
export type StoredRecord = Static<typeof StoredRecordSchema>;

export const RecordsQuerySchema = Type.Object({
  type: Type.Optional(Type.String({ minLength: 1, description: 'Only records of this @type' })),
});

/** GET /_records. */
export const RecordsResponseSchema = Type.Object({
  records: Type.Array(StoredRecordSchema),
  count: Type.Integer({ minimum: 0 }),
});
export type RecordsResponse = Static<typeof RecordsResponseSchema>;

/** GET /_stats: counters since start or the last DELETE /_records. */
export const MockStatsSchema = Type.Object({
  pushes: Type.Integer({ minimum: 0, description: 'POST /v2/push requests received' }),
  dropped: Type.Integer({ minimum: 0, description: 'Pushes whose connection was destroyed unanswered' }),
  responses: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
    description: 'Push answers by HTTP status code, e.g. {"202": 3, "429": 1}',
  }),
  accepted: Type.Integer({ minimum: 0, description: 'Records accepted, over all pushes' }),
  rejected: Type.Integer({ minimum: 0, description: 'Records rejected, over all pushes' }),
  writes: Type.Record(Type.String(), Type.Integer({ minimum: 1 }), {
    description: 'Accepted writes per record key "<@type>:<id>"',
  }),
});
export type MockStats = Static<typeof MockStatsSchema>;

/**
 * One data deletion request as Ometria lists it (OMETRIA-API.md, "GDPR anonymisation requests"):
 * the answer to a POST and each entry of the GET list. The mock never completes a request, so
 * `summary` stays "queued" and `timestamp_completed` null (Ometria takes up to 14 days).
 */
export const DeletionRequestSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  action: Type.Literal('anonymise'),
  comment: Type.Union([Type.String(), Type.Null()], { description: 'The body\'s comment; null when it had none' }),
  identities: Type.Array(
    Type.Object({
      hashed_email: Type.String({ description: '<SHA-256 hex of the trimmed, lower-cased email>@anonymous.ometria' }),
    }),
  ),
  source: Type.Object({ api_request_id: Type.String({ format: 'uuid' }), origin: Type.Literal('api') }),
  summary: Type.String(),
  timestamp_created: Type.String({ description: 'ISO 8601, from the mock\'s clock' }),
  timestamp_completed: Type.Union([Type.String(), Type.Null()]),
});
export type DeletionRequest = Static<typeof DeletionRequestSchema>;

/** GET /v2/data-deletion-requests: the key's requests, newest first. */
export const DeletionRequestListSchema = Type.Array(DeletionRequestSchema);

/** How a data deletion request ended, as GET /_deletions shows it. */
export const DeletionOutcomeSchema = Type.Union(
  [
    Type.Literal('answered', { description: 'The client got `status`' }),
    Type.Literal('dropped', { description: 'Connection destroyed before Ometria acted (dropRate): no status, nothing created' }),
    Type.Literal('lost-answer', {
      description: 'Judged (and created, when `accepted`), then the connection destroyed instead of sending `status` (lostAnswerRate)',
    }),
  ],
);

/** One request POST /v2/data-deletion-requests received, as GET /_deletions shows it. */
export const ReceivedDeletionSchema = Type.Object({
  email: Type.Union([Type.String(), Type.Null()], {
    description: "The body's email exactly as received (a test double's view); null when the body had no string email",
  }),
  keyFingerprint: Type.Union([Type.String(), Type.Null()], {
    description: 'SHA-256 hex of the trimmed X-Ometria-Auth value (never the key); null when the header was missing or blank',
  }),
  status: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The HTTP status answered, or that a lost answer would have carried; null when dropped',
  }),
  outcome: DeletionOutcomeSchema,
  accepted: Type.Boolean({ description: 'Ometria acted: the request was created (a 202, delivered or lost)' }),
  id: Type.Union([Type.String(), Type.Null()], { description: "The created request's id; null when none was created" }),
  receivedAt: Type.String({ description: "ISO 8601, from the mock's clock" }),
});
export type ReceivedDeletion = Static<typeof ReceivedDeletionSchema>;

/** GET /_deletions: what the deletion route received since start or the last DELETE /_deletions. */
export const DeletionInspectionSchema = Type.Object({
  requests: Type.Array(ReceivedDeletionSchema, { description: 'Every request received, in arrival order' }),
  accepted: Type.Record(Type.String(), Type.Integer({ minimum: 1 }), {
    description: 'Accepted requests (a 202, delivered or lost) per email exactly as received',
  }),
});
export type DeletionInspection = Static<typeof DeletionInspectionSchema>;
