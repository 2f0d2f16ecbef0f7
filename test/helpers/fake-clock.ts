import type { Clock } from '../../src/core/clock.js';

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
 *
 * Real I/O (a request on a loopback socket, a database query) takes real time, during which no
 * virtual time may pass: work handed to `during` holds the clock still until it settles.
 */
export class FakeClock implements Clock {
  /** Every sleep asked for, in ms, in order. */
  readonly waits: number[] = [];
  readonly start: number;
  #now: number;
  readonly #timers: Timer[] = [];
  #scheduled = false;
  #busy = 0;

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

  /** `work`, with the clock held still until it settles (real I/O must not let virtual time pass). */
  during<T>(work: Promise<T>): Promise<T> {
    this.#busy += 1;
    const done = () => {
      this.#busy -= 1;
      if (this.#busy === 0 && this.#timers.length > 0) this.#schedule();
    };
    work.then(done, done);
    return work;
  }

  /** A sleep cut short by `signal` ends at once, leaves the time as it is and is forgotten. */
  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    this.waits.push(ms);
    return new Promise((resolve) => {
      if (signal?.aborted === true) return resolve();
      const timer = { due: this.#now + Math.max(0, ms), wake: resolve };
      const at = this.#timers.findIndex((t) => t.due > timer.due);
      this.#timers.splice(at === -1 ? this.#timers.length : at, 0, timer);
      signal?.addEventListener(
        'abort',
        () => {
          const index = this.#timers.indexOf(timer);
          if (index !== -1) this.#timers.splice(index, 1);
          resolve();
        },
        { once: true },
      );
      this.#schedule();
    });
  };

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      // Picked up again when the work in hand settles.
      if (this.#busy > 0) return;
      const timer = this.#timers.shift();
      if (timer === undefined) return;
      this.#now = Math.max(this.#now, timer.due);
      timer.wake();
      if (this.#timers.length > 0) this.#schedule();
    });
  }
}
