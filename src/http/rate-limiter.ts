import { systemClock, type Clock } from '../core/clock.js';

// Requests can arrive closer together than they left (network jitter): keep a small margin.
const MARGIN_MS = 10;

interface Waiter {
  /** The latest time it may start (epoch ms); later, it has no use for a slot. */
  readonly startBy: number;
  readonly urgent: boolean;
  readonly resolve: (granted: boolean) => void;
}

interface KeyState {
  /** Start times of the key's most recent requests (at most `limit`), oldest first. */
  readonly starts: number[];
  /** Waiting for a slot, in the order they get one: urgent ones first, each kind in arrival order. */
  readonly waiters: Waiter[];
  /** When the pending wake-up that hands out the next slot is due, if one is pending. */
  wakeAt: number | undefined;
}

/**
 * At most `perSecond` request starts per key in any one-second window (a sliding window), so a
 * burst queues here instead of earning 429s from Ometria (its push limit is per account, 8/s by
 * default). Fractional rates work: 0.5/s is one start per two seconds.
 *
 * Every waiter says by when it must start. The slot each would get follows from the starts made
 * and the waiters ahead of it, so a waiter that would get its slot too late is told so at once
 * (false) instead of queueing for nothing, and one pushed back past its time by urgent waiters
 * that came later leaves the queue as soon as that happens: it never holds a slot and never
 * starts late. Urgent waiters (the rest of work already under way) go before the others.
 */
export class RateLimiter {
  private readonly keys = new Map<string, KeyState>();
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.limit = Math.max(1, Math.floor(perSecond));
    this.windowMs = perSecond > 0 ? (1000 * this.limit) / perSecond + MARGIN_MS : 0;
  }

  /** How often a slot frees up under sustained load (ms); 0 when unlimited. */
  get intervalMs(): number {
    return this.perSecond > 0 ? this.windowMs / this.limit : 0;
  }

  /**
   * Waits for a slot for `key`. Resolves false, without taking a slot, when that slot would come
   * after `startBy` (epoch ms on the limiter's clock): at once when that is known on arrival, else
   * as soon as urgent waiters arriving later push it past `startBy`. `urgent` waiters go before
   * the others.
   */
  acquire(key: string, startBy = Number.POSITIVE_INFINITY, urgent = false): Promise<boolean> {
    if (this.perSecond <= 0) return Promise.resolve(true);
    const state = this.stateOf(key);
    const now = this.clock.now();
    const after = urgent ? state.waiters.findIndex((w) => !w.urgent) : -1;
    const position = after === -1 ? state.waiters.length : after;
    const slot = this.slotTimes(state, position + 1, now)[position] as number;
    if (slot > startBy) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      state.waiters.splice(position, 0, { startBy, urgent, resolve });
      // A slot free now goes at once (resolved here); those behind may now come too late.
      this.grant(state, now);
      this.evict(state, now);
      this.schedule(state, now);
    });
  }

  private stateOf(key: string): KeyState {
    let state = this.keys.get(key);
    if (state === undefined) {
      if (this.keys.size >= 1024) this.forgetIdle();
      state = { starts: [], waiters: [], wakeAt: undefined };
      this.keys.set(key, state);
    }
    return state;
  }

  /** The start times of the next `count` requests of the key, if none left the queue. */
  private slotTimes(state: KeyState, count: number, now: number): number[] {
    const { limit, windowMs } = this;
    const all = [...state.starts];
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const earlier = all.length >= limit ? (all[all.length - limit] as number) : undefined;
      const time = earlier === undefined ? now : Math.max(now, earlier + windowMs);
      all.push(time);
      times.push(time);
    }
    return times;
  }

  private start(state: KeyState, now: number): void {
    state.starts.push(now);
    if (state.starts.length > this.limit) state.starts.splice(0, state.starts.length - this.limit);
  }

  /** Waiters whose slot would come after their time leave the queue now, with false. */
  private evict(state: KeyState, now: number): void {
    const { limit, windowMs } = this;
    const all = [...state.starts];
    const kept: Waiter[] = [];
    for (const waiter of state.waiters) {
      const earlier = all.length >= limit ? (all[all.length - limit] as number) : undefined;
      const time = earlier === undefined ? now : Math.max(now, earlier + windowMs);
      if (time > waiter.startBy) {
        waiter.resolve(false);
        continue;
      }
      all.push(time);
      kept.push(waiter);
    }
    if (kept.length !== state.waiters.length) state.waiters.splice(0, state.waiters.length, ...kept);
  }

  /** One wake-up at a time, when the first waiter's slot comes (it never comes earlier). */
  private schedule(state: KeyState, now: number): void {
    if (state.waiters.length === 0 || state.wakeAt !== undefined) return;
    const at = this.slotTimes(state, 1, now)[0] as number;
    state.wakeAt = at;
    void this.clock.sleep(Math.max(0, at - now)).then(() => this.wake(state));
  }

  private wake(state: KeyState): void {
    state.wakeAt = undefined;
    const now = this.clock.now();
    this.grant(state, now);
    this.evict(state, now);
    this.schedule(state, now);
  }

  /** The slots free at `now` go to the first waiters, in queue order. */
  private grant(state: KeyState, now: number): void {
    while (state.waiters.length > 0) {
      const [first] = this.slotTimes(state, 1, now);
      if ((first as number) > now) break;
      const waiter = state.waiters.shift() as Waiter;
      // A wake-up later than planned (a busy event loop): a waiter whose time is past leaves.
      if (waiter.startBy < now) {
        waiter.resolve(false);
        continue;
      }
      this.start(state, now);
      waiter.resolve(true);
    }
  }

  /** Keys with nobody waiting and no start inside the window are forgotten: the map stays small. */
  private forgetIdle(): void {
    const now = this.clock.now();
    for (const [key, state] of this.keys) {
      const last = state.starts[state.starts.length - 1];
      if (state.waiters.length === 0 && (last === undefined || now - last > this.windowMs)) this.keys.delete(key);
    }
  }
}
