import type { Clock } from '../../src/http/clock.js';

interface Timer {
  readonly due: number;
  readonly wake: () => void;
}

/**
 * Virtual time for the client's waits (backoff, Retry-After, rate limit): `now()` moves only
 * when a `sleep(ms)` ends, which it does on the next turn of the event loop (setImmediate), with
 * the time then at least `ms` later than when it began. Sleeps pending together end in due order
 * and never move the time backwards. Every wait is recorded, in the order asked, so a test can
 * check them exactly. `now` and `sleep` are bound: `clock: fake.now` fits the mock's option.
 */
export class FakeClock implements Clock {
  /** Every sleep asked for, in ms, in order. */
  readonly waits: number[] = [];
  readonly start: number;
  #now: number;
  readonly #timers: Timer[] = [];
  #scheduled = false;

  /** Starts at a whole second (HTTP dates have one-second resolution). */
  constructor(start = 1_700_000_000_000) {
    this.start = start;
    this.#now = start;
  }

  readonly now = (): number => this.#now;

  /** Virtual milliseconds since the clock was made. */
  elapsed(): number {
    return this.#now - this.start;
  }

  readonly sleep = (ms: number): Promise<void> => {
    this.waits.push(ms);
    return new Promise((resolve) => {
      const timer = { due: this.#now + Math.max(0, ms), wake: resolve };
      const at = this.#timers.findIndex((t) => t.due > timer.due);
      this.#timers.splice(at === -1 ? this.#timers.length : at, 0, timer);
      this.#schedule();
    });
  };

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      const timer = this.#timers.shift();
      if (timer === undefined) return;
      this.#now = Math.max(this.#now, timer.due);
      timer.wake();
      if (this.#timers.length > 0) this.#schedule();
    });
  }
}
