import { systemClock, type Clock } from './clock.js';

// Requests can arrive closer together than they left (network jitter): keep a small margin.
const MARGIN_MS = 10;

interface KeyState {
  /** Start times of the key's most recent requests (at most `perSecond`). */
  readonly starts: number[];
  /** Waiters run one after another, so each sees the real start of the one before. */
  queue: Promise<unknown>;
  waiting: number;
}

/**
 * At most `perSecond` request starts per key in any one-second window (a sliding window), so a
 * burst queues here instead of earning 429s from Ometria (its push limit is per account, 8/s by
 * default). Fractional rates work: 0.5/s is one start per two seconds.
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

  /**
   * Waits for a slot for `key`. Resolves false, without taking a slot, when that slot would come
   * after `deadline` (epoch ms on the limiter's clock): the caller should give up rather than wait
   * for nothing.
   */
  acquire(key: string, deadline = Number.POSITIVE_INFINITY): Promise<boolean> {
    if (this.perSecond <= 0) return Promise.resolve(true);
    let state = this.keys.get(key);
    if (state === undefined) {
      if (this.keys.size >= 1024) this.forgetIdle();
      state = { starts: [], queue: Promise.resolve(), waiting: 0 };
      this.keys.set(key, state);
    }
    const current = state;
    current.waiting += 1;
    const turn = current.queue.then(async () => {
      try {
        return await this.take(current, deadline);
      } finally {
        current.waiting -= 1;
      }
    });
    current.queue = turn;
    return turn;
  }

  private async take(state: KeyState, deadline: number): Promise<boolean> {
    const { starts } = state;
    const { limit } = this;
    const oldest = starts.length >= limit ? (starts[starts.length - limit] as number) : undefined;
    const now = this.clock.now();
    const slot = oldest === undefined ? now : Math.max(now, oldest + this.windowMs);
    if (slot > deadline) return false;
    const wait = slot - now;
    if (wait > 0) await this.clock.sleep(wait);
    starts.push(this.clock.now());
    if (starts.length > limit) starts.splice(0, starts.length - limit);
    return true;
  }

  /** Keys with nobody waiting and no start inside the window are forgotten: the map stays small. */
  private forgetIdle(): void {
    const now = this.clock.now();
    for (const [key, state] of this.keys) {
      const last = state.starts[state.starts.length - 1];
      if (state.waiting === 0 && (last === undefined || now - last > this.windowMs)) this.keys.delete(key);
    }
  }
}
