import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Spaces requests per key at most `perSecond` a second, so a burst queues here instead of earning
 * 429s from Ometria (its push limit is per account, 8/s by default). Spacing rather than a token
 * bucket: no window of one second ever holds more than `perSecond` starts.
 */
export class RateLimiter {
  private readonly nextSlot = new Map<string, number>();
  private readonly interval: number;

  constructor(perSecond: number) {
    this.interval = perSecond > 0 ? 1000 / perSecond : 0;
  }

  /**
   * Waits for the key's next slot. Returns false, without taking a slot, when that slot lies past
   * `deadline` (epoch ms): the caller should give up instead of waiting for nothing.
   */
  async acquire(key: string, deadline = Number.POSITIVE_INFINITY, signal?: AbortSignal): Promise<boolean> {
    if (this.interval === 0) return true;
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot.get(key) ?? 0);
    if (slot > deadline) return false;
    this.nextSlot.set(key, slot + this.interval);
    if (slot > now) await sleep(slot - now, undefined, { signal });
    this.forgetIdle(now);
    return true;
  }

  /** Keys idle for a while are dropped, so the map does not grow with every key ever seen. */
  private forgetIdle(now: number): void {
    if (this.nextSlot.size < 1024) return;
    for (const [key, slot] of this.nextSlot) if (slot < now) this.nextSlot.delete(key);
  }
}
