import type { DeleteUsersJob, DeleteUsersResult } from '../../../schemas/rudder/delete-users.js';
import type { Clock } from '../clock.js';
import type { DeliveryClient } from '../delivery-client.js';
import type { DestinationDefinition, ErasureRules, ServiceSettings } from '../destination.js';
import { whatIs } from '../engine/kinds.js';
import { TransformError } from '../errors.js';
import { answerOf, failure, SUCCESS } from './erasure-answer.js';
import { ErasureLane } from './erasure-lane.js';
import type { ErasureStore, RateWindow } from './erasure-store.js';
import { keyFingerprint, peopleOf, type Person } from './people.js';
import { PersonEntry } from './person-entry.js';

/** A completed job is remembered this long, so a repeated call answers 200 at once. */
export const COMPLETED_JOB_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
/** Requests can arrive closer together than they left (network jitter): the window is kept a little longer. */
const WINDOW_MARGIN_MS = 1000;
/** A claim outlives the longest answer by this much. */
const CLAIM_MARGIN_MS = 5000;
const HELD_POLL_MS = 1000;

/** What the app's metrics and log hear (never an address or a key). */
export interface ErasureObservers {
  /** A person settled; `sent`: accepted on this process's own request (not found accepted by another's). */
  readonly onSettled?: (destination: string, state: PersonEntry['state'], sent: boolean) => void;
  readonly onTrouble?: (message: string, error?: unknown) => void;
}

export interface ErasureServiceOptions {
  readonly def: DestinationDefinition & { readonly erasure: ErasureRules };
  /** The destination's erasure client (one attempt per post). */
  readonly client: DeliveryClient;
  readonly store: ErasureStore;
  readonly clock: Clock;
  /** The service's settings, of which the destination's rate is read. */
  readonly settings: ServiceSettings;
  /** How long one call waits for its job's people (DELETION_WAIT_MS). */
  readonly waitMs: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly random?: () => number;
  readonly observers?: ErasureObservers;
}

/**
 * Erases the people of RudderStack's regulation jobs at one destination (SPEC §8): one request
 * per person, each person sent once across calls, processes and replicas sharing the store, at
 * the destination's pace; a call answers within `waitMs` with where its job stands, and the people
 * still waiting go on in the background while the process runs.
 */
export class ErasureService {
  private readonly lanes = new Map<string, ErasureLane>();
  /** Waiting people by job, key and person: calls of the same job share them. */
  private readonly entries = new Map<string, PersonEntry>();
  private readonly rate: { readonly limit: number; readonly windowMs: number };
  /** The calls waiting for their people: closing ends their waits, so they answer at once. */
  private readonly waits = new Set<AbortController>();
  private closed = false;

  constructor(private readonly options: ErasureServiceOptions) {
    const { limit, windowMs } = options.def.erasure.rate(options.settings);
    this.rate = { limit, windowMs: windowMs + WINDOW_MARGIN_MS };
  }

  /** People waiting in this process, and how long the oldest has waited (0 when nobody waits). */
  waiting(): { readonly count: number; readonly oldestAgeMs: number } {
    const now = this.options.clock.now();
    let oldestAgeMs = 0;
    for (const entry of this.entries.values()) oldestAgeMs = Math.max(oldestAgeMs, now - entry.since);
    return { count: this.entries.size, oldestAgeMs };
  }

  async handle(job: DeleteUsersJob): Promise<DeleteUsersResult> {
    const { def, store, clock } = this.options;
    let config;
    let key;
    try {
      config = def.parseConfig(job.config);
      key = def.erasure.key(config);
    } catch (error) {
      if (error instanceof TransformError) return failure(400, error.message);
      throw error;
    }
    const attributes = job.userAttributes;
    if (!Array.isArray(attributes) || attributes.length === 0) {
      return failure(400, `The job names nobody: userAttributes is ${Array.isArray(attributes) ? 'empty' : whatIs(attributes)}`);
    }
    const jobId = String(job.jobId);
    if (await store.isComplete(def.name, jobId, clock.now())) return SUCCESS;
    const { people, withoutEmail } = peopleOf(jobId, attributes);
    const accepted = await store.acceptedOf(def.name, jobId, people.map((p) => p.hash));
    const lane = this.laneOf(key);
    const mine = new Map<Person, PersonEntry>();
    for (const person of people) {
      if (!accepted.has(person.hash)) mine.set(person, this.entryOf(lane, person, jobId, key, config));
    }
    await this.waitFor([...mine.values()]);

    const settled = (state: PersonEntry['state']) => [...mine].filter(([, entry]) => entry.state === state);
    const result = answerOf(
      {
        total: people.length,
        accepted: accepted.size + settled('accepted').length,
        waiting: settled('waiting').map(([, entry]) => entry),
        keyRefused: settled('key-refused').length > 0,
        withoutEmail,
        personRefused: settled('person-refused').map(([person, entry]) => ({ names: person.names, status: entry.refusedStatus })),
      },
      def.displayName,
    );
    if (result.statusCode === 200) {
      const now = clock.now();
      await store.complete(def.name, jobId, now, now + COMPLETED_JOB_RETENTION_MS, COMPLETED_JOB_RETENTION_MS);
    }
    return result;
  }

  /**
   * Sends nothing more, and the calls waiting answer now with where their jobs stand: a closing
   * process drains in seconds, and the worker's next attempt goes on. Resolves once a request under
   * way is answered and its acceptance recorded (before the store closes).
   */
  close(): Promise<void> {
    this.closed = true;
    for (const wait of this.waits) wait.abort();
    return Promise.all([...this.lanes.values()].map((lane) => lane.stop())).then(() => undefined);
  }

  private laneOf(key: string): ErasureLane {
    const fingerprint = keyFingerprint(key);
    const known = this.lanes.get(fingerprint);
    if (known !== undefined) return known;
    for (const [other, lane] of this.lanes) if (lane.idle) this.lanes.delete(other);
    const { def, client, store, clock, retryBaseMs, retryMaxMs, random, observers } = this.options;
    const rate: RateWindow = { key: fingerprint, ...this.rate };
    const lane = new ErasureLane(
      {
        displayName: def.displayName,
        rules: def.erasure,
        client,
        store,
        clock,
        claimMs: client.deadlineMs + CLAIM_MARGIN_MS,
        retryBaseMs,
        retryMaxMs,
        heldPollMs: HELD_POLL_MS,
        ...(random === undefined ? {} : { random }),
        onSettled: (entry, sent) => {
          this.entries.delete(entryKey(entry.ref.jobId, fingerprint, entry.ref.person));
          observers?.onSettled?.(def.name, entry.state, sent);
        },
        onTrouble: (message, error) => observers?.onTrouble?.(message, error),
      },
      rate,
    );
    this.lanes.set(fingerprint, lane);
    return lane;
  }

  /** The person's waiting entry, shared with other calls of the job; a new one when none waits. */
  private entryOf(lane: ErasureLane, person: Person, jobId: string, key: string, config: Record<string, unknown>): PersonEntry {
    const { def, clock } = this.options;
    const id = entryKey(jobId, keyFingerprint(key), person.hash);
    const known = this.entries.get(id);
    if (known !== undefined) return known;
    const entry = new PersonEntry(
      { destType: def.name, jobId, person: person.hash },
      def.erasure.request(person.address, config, jobId),
      clock.now(),
    );
    this.entries.set(id, entry);
    lane.add(entry);
    return entry;
  }

  /** Until every entry is settled, or the call's wait is over. */
  private async waitFor(entries: readonly PersonEntry[]): Promise<void> {
    if (this.closed || entries.every((entry) => entry.state !== 'waiting')) return;
    const timer = new AbortController();
    this.waits.add(timer);
    await Promise.race([Promise.all(entries.map((entry) => entry.settled)), this.options.clock.sleep(this.options.waitMs, timer.signal)]);
    this.waits.delete(timer);
    timer.abort();
  }
}

const entryKey = (jobId: string, fingerprint: string, person: string): string => `${jobId}\n${fingerprint}\n${person}`;
