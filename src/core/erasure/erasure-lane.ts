import { retryAfterMs, fullJitter } from '../../http/backoff.js';
import type { Clock } from '../clock.js';
import type { DeliveryClient } from '../delivery-client.js';
import type { ErasureRules } from '../destination.js';
import type { ErasureStore, RateWindow } from './erasure-store.js';
import type { PersonEntry } from './person-entry.js';

/** What a lane needs: one per destination and key. */
export interface LaneContext {
  readonly displayName: string;
  readonly rules: ErasureRules;
  readonly client: DeliveryClient;
  readonly store: ErasureStore;
  readonly clock: Clock;
  /** How long a claim stands: longer than any answer can take, so an answer never comes after it. */
  readonly claimMs: number;
  /** Backoff after a failure Ometria did not act on (full jitter, as the push client's). */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** How often a person another process claimed is looked at again, at most. */
  readonly heldPollMs: number;
  readonly random?: () => number;
  /** Told once per person settled (`sent`: this process's request was the one accepted), and of failures worth a log line (never an address or key). */
  readonly onSettled: (entry: PersonEntry, sent: boolean) => void;
  readonly onTrouble: (message: string, error?: unknown) => void;
}

// The request certainly never reached the destination: the claim can go at once.
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'RATE_LIMITED', 'QUEUE_FULL']);
// A gateway's failure (bad gateway, gateway timeout): the destination behind it may have acted.
const GATEWAY_FAILURES = new Set([502, 504]);
// No Retry-After holds a key longer (a bad header must not stop erasures for days).
const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/**
 * The people of one key, sent one at a time at the destination's pace. Each person is claimed in
 * the store (with a start counted in the key's shared window) right before sending, so processes
 * and replicas sharing the store send each person once and stay within the rate together; a person
 * another holds is looked at again later, and an answer lost after sending leaves the claim to
 * expire before the one repeat it may cost.
 */
export class ErasureLane {
  private readonly ready: PersonEntry[] = [];
  private readonly later: PersonEntry[] = [];
  private running: Promise<void> | undefined;
  private stopped = false;
  private pausing: AbortController | undefined;
  /** Consecutive store failures: the lane backs off as a whole, not person by person. */
  private storeFailures = 0;

  constructor(
    private readonly context: LaneContext,
    private readonly rate: RateWindow,
  ) {}

  /** Everyone this lane still has to send. */
  entries(): PersonEntry[] {
    return [...this.ready, ...this.later];
  }

  get idle(): boolean {
    return this.running === undefined && this.ready.length === 0 && this.later.length === 0;
  }

  add(entry: PersonEntry): void {
    this.ready.push(entry);
    if (this.stopped) return;
    if (this.running !== undefined) this.pausing?.abort();
    else this.start();
  }

  private start(): void {
    this.running = this.run().finally(() => {
      this.running = undefined;
      // Someone added between the loop's last look and now: the lane goes on.
      if (!this.stopped && (this.ready.length > 0 || this.later.length > 0)) this.start();
    });
  }

  /** Sends nothing more (the process is closing); resolves once a send under way is answered and recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pausing?.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const now = this.context.clock.now();
      this.bringBack(now);
      const entry = this.ready.shift();
      if (entry === undefined) {
        let next = Number.POSITIVE_INFINITY;
        for (const waiting of this.later) next = Math.min(next, waiting.recheckAt);
        if (!Number.isFinite(next)) return;
        await this.pause(next - now);
        continue;
      }
      if (entry.state !== 'waiting') continue;
      try {
        await this.serve(entry, now);
        this.storeFailures = 0;
      } catch (error) {
        // Closing: the store may be gone already; the person is the worker's next attempt's.
        if (this.stopped) return;
        // The store failed (a database restarting): the lane waits as a whole, then goes on with
        // the same person; nobody else is tried against a store that fails.
        this.context.onTrouble('the erasure store failed; retrying', error);
        entry.reason = 'retry';
        entry.failure = 'the erasure store failed';
        this.ready.unshift(entry);
        this.storeFailures += 1;
        await this.pause(this.backoff(this.storeFailures));
      }
    }
  }

  private backoff(failures: number): number {
    const { retryBaseMs, retryMaxMs, random } = this.context;
    return Math.max(1, fullJitter(failures, retryBaseMs, retryMaxMs, random));
  }

  /** People set aside whose time has come go to the back of the line. */
  private bringBack(now: number): void {
    for (let i = 0; i < this.later.length; ) {
      const entry = this.later[i] as PersonEntry;
      if (entry.recheckAt <= now) {
        this.later.splice(i, 1);
        this.ready.push(entry);
      } else i++;
    }
  }

  private async pause(ms: number): Promise<void> {
    const controller = new AbortController();
    this.pausing = controller;
    await this.context.clock.sleep(Math.max(0, ms), controller.signal);
    this.pausing = undefined;
  }

  private setAside(entry: PersonEntry, at: number): void {
    entry.recheckAt = at;
    this.later.push(entry);
  }

  private retryLater(entry: PersonEntry): void {
    entry.failures += 1;
    this.setAside(entry, this.context.clock.now() + this.backoff(entry.failures));
  }

  private settle(entry: PersonEntry, state: 'accepted' | 'key-refused' | 'person-refused', sent = false): void {
    entry.settle(state);
    this.context.onSettled(entry, sent);
  }

  /**
   * The destination accepted the person: that is recorded before anything else, retried while the
   * store fails (going back to claiming would find this process's own claim, then, once it
   * expired, send the person again). A process closing meanwhile leaves the claim to expire.
   */
  private async recordAccepted(entry: PersonEntry): Promise<void> {
    const { store, clock } = this.context;
    for (let failures = 1; ; failures++) {
      try {
        await store.accept(entry.ref, clock.now());
        this.settle(entry, 'accepted', true);
        return;
      } catch (error) {
        if (this.stopped) throw error;
        this.context.onTrouble('the erasure store failed to record an acceptance; retrying', error);
        await this.pause(this.backoff(failures));
      }
    }
  }

  private async serve(entry: PersonEntry, now: number): Promise<void> {
    const { store, claimMs, heldPollMs } = this.context;
    const claimUntil = now + claimMs;
    const outcome = await store.claim(entry.ref, this.rate, now, claimUntil);
    switch (outcome.kind) {
      case 'accepted':
        this.settle(entry, 'accepted');
        return;
      case 'held':
        entry.reason = 'elsewhere';
        this.setAside(entry, Math.min(outcome.until, now + heldPollMs));
        return;
      case 'wait':
        entry.reason = 'rate';
        this.ready.unshift(entry);
        await this.pause(Math.max(1, outcome.until - now));
        return;
      case 'claimed':
        entry.reason = 'answer';
        await this.send(entry, claimUntil);
    }
  }

  private async send(entry: PersonEntry, claimUntil: number): Promise<void> {
    const { client, rules, store, clock, displayName } = this.context;
    const { url, headers, body } = entry.request;
    const result = await client.post({ url, headers, body, rateKey: this.rate.key });
    if (result.kind === 'transport') {
      entry.reason = 'retry';
      entry.failure = `no answer from ${displayName} (${result.code})`;
      if (result.attempts === 0 || NEVER_SENT.has(result.code)) {
        await store.release(entry.ref, claimUntil);
        this.retryLater(entry);
      } else {
        // The destination may have acted and the answer been lost: the claim stands until it
        // expires, and only then may the person be sent again (once).
        entry.failures += 1;
        this.setAside(entry, claimUntil);
      }
      return;
    }
    const answer = rules.interpret(result.status);
    if (answer === 'accepted') {
      await this.recordAccepted(entry);
      return;
    }
    if (answer === 'retry' && GATEWAY_FAILURES.has(result.status)) {
      // Like a lost answer: the claim stands until it expires.
      entry.reason = 'retry';
      entry.failure = `${displayName} answered ${result.status}`;
      entry.failures += 1;
      this.setAside(entry, claimUntil);
      return;
    }
    await store.release(entry.ref, claimUntil);
    switch (answer) {
      case 'key-refused':
        // Nobody of this key is sent again before the worker's next attempt: no retry storm.
        for (const other of [entry, ...this.ready.splice(0), ...this.later.splice(0)]) this.settle(other, 'key-refused');
        return;
      case 'throttled': {
        entry.failures += 1;
        const now = clock.now();
        const hinted = retryAfterMs(result.headers['retry-after'], now);
        const wait = hinted === undefined ? this.backoff(entry.failures) : Math.min(hinted, MAX_RETRY_AFTER_MS);
        // Every process sharing the store holds back, not only this one.
        await store.holdKey(this.rate.key, now + wait);
        entry.reason = 'rate';
        this.ready.unshift(entry);
        return;
      }
      case 'retry':
        entry.reason = 'retry';
        entry.failure = `${displayName} answered ${result.status}`;
        this.retryLater(entry);
        return;
      case 'person-refused':
        entry.refusedStatus = result.status;
        this.settle(entry, 'person-refused');
    }
  }
}
