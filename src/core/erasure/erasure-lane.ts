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
  /** Told once per person settled, and of failures worth a log line (never an address or key). */
  readonly onSettled: (entry: PersonEntry) => void;
  readonly onTrouble: (message: string, error?: unknown) => void;
}

// The request certainly never reached the destination: the claim can go at once.
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'RATE_LIMITED', 'QUEUE_FULL']);

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
  private running = false;
  private stopped = false;
  private pausing: AbortController | undefined;

  constructor(
    private readonly context: LaneContext,
    private readonly rate: RateWindow,
  ) {}

  /** Everyone this lane still has to send. */
  entries(): PersonEntry[] {
    return [...this.ready, ...this.later];
  }

  get idle(): boolean {
    return !this.running && this.ready.length === 0 && this.later.length === 0;
  }

  add(entry: PersonEntry): void {
    this.ready.push(entry);
    if (this.stopped) return;
    if (this.running) this.pausing?.abort();
    else void this.run();
  }

  /** Sends nothing more (the process is closing); a send under way finishes. */
  stop(): void {
    this.stopped = true;
    this.pausing?.abort();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (!this.stopped) {
        const now = this.context.clock.now();
        this.bringBack(now);
        const entry = this.ready.shift();
        if (entry === undefined) {
          const next = Math.min(...this.later.map((e) => e.recheckAt));
          if (!Number.isFinite(next)) break;
          await this.pause(next - now);
          continue;
        }
        if (entry.state !== 'waiting') continue;
        try {
          await this.serve(entry, now);
        } catch (error) {
          // Closing: the store may be gone already; the person is the worker's next attempt's.
          if (this.stopped) break;
          // The store failed (a database restarting): the person waits and is tried again.
          this.context.onTrouble('the erasure store failed; retrying', error);
          entry.reason = 'retry';
          entry.failure = 'the erasure store failed';
          this.retryLater(entry);
        }
      }
    } finally {
      this.running = false;
    }
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
    const { retryBaseMs, retryMaxMs, random, clock } = this.context;
    this.setAside(entry, clock.now() + fullJitter(entry.failures, retryBaseMs, retryMaxMs, random));
  }

  private settle(entry: PersonEntry, state: 'accepted' | 'key-refused' | 'person-refused'): void {
    entry.settle(state);
    this.context.onSettled(entry);
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
      await store.accept(entry.ref, clock.now());
      this.settle(entry, 'accepted');
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
        const wait = retryAfterMs(result.headers['retry-after'], now) ?? fullJitter(entry.failures, this.context.retryBaseMs, this.context.retryMaxMs, this.context.random);
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
