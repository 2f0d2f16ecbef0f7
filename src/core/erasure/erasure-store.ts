/**
 * The erasure store port: what erasing people once per person needs to share across processes,
 * restarts and replicas (SPEC §8). It holds hashes and fingerprints only: never an address, never
 * a key. `src/store` implements it on SQLite (the embedded default) and Postgres (replicas); both
 * keep the same semantics, and every time in it is epoch ms on the caller's clock.
 */

/** One person of one job: `person` is the hex SHA-256 of the job id and the lower-cased address. */
export interface PersonRef {
  /** The destination's definition name (`OMETRIA`). */
  readonly destType: string;
  readonly jobId: string;
  readonly person: string;
}

/** A destination's rate limit for one key: at most `limit` request starts in any `windowMs`. */
export interface RateWindow {
  /** The hex SHA-256 fingerprint of the key (never the key). */
  readonly key: string;
  readonly limit: number;
  readonly windowMs: number;
}

/** What `claim` decided. */
export type ClaimOutcome =
  /** Send now: the claim is recorded (live until `claimUntil`) and a start is counted in the key's window. */
  | { readonly kind: 'claimed' }
  /** Accepted already: send nothing. */
  | { readonly kind: 'accepted' }
  /** Another caller holds a live claim until `until`: nothing recorded. */
  | { readonly kind: 'held'; readonly until: number }
  /** The key's window is full (or held back) until `until`: nothing recorded. */
  | { readonly kind: 'wait'; readonly until: number };

export interface ErasureStore {
  /** Where it is, for the start-up line: a file path or a database's host and name, never a password. */
  readonly description: string;
  /** Whether the job was answered 200 and its completion is still kept (until its `keepUntil`). */
  isComplete(destType: string, jobId: string, now: number): Promise<boolean>;
  /** Those of `persons` (of one job) that are accepted. */
  acceptedOf(destType: string, jobId: string, persons: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * In one atomic step, across every process sharing the store: accepted (or its job completed) →
   * `accepted`; a claim
   * live at `now` → `held`; the key held back or its window full → `wait`; else the claim is
   * recorded until `claimUntil`, one start at `now` is counted in the window → `claimed`.
   */
  claim(ref: PersonRef, rate: RateWindow, now: number, claimUntil: number): Promise<ClaimOutcome>;
  /** The destination accepted the person: the claim becomes an acceptance (kept until the job completes). */
  accept(ref: PersonRef, now: number): Promise<void>;
  /**
   * The destination did not act on the request (or it never left): the claim made with
   * `claimUntil` is dropped at once. Only that claim: one that expired and was taken since by
   * another caller stays.
   */
  release(ref: PersonRef, claimUntil: number): Promise<void>;
  /** No start for the key before `until` (a 429's Retry-After or backoff), for every process. */
  holdKey(key: string, until: number): Promise<void>;
  /**
   * The job was answered 200: its people's rows go, its completion is kept until `keepUntil`.
   * Completions, people's rows untouched since `now - retentionMs`, and window starts past any
   * window are removed here too, so the store does not grow.
   */
  complete(destType: string, jobId: string, now: number, keepUntil: number, retentionMs: number): Promise<void>;
  close(): Promise<void>;
}
