import { setTimeout as delay } from 'node:timers/promises';

/**
 * Where delivery and erasure read the time and wait: deadlines, backoff, Retry-After, rate-limit
 * waits and how long a call waits for its erasures all go through one. It is injected so that
 * tests run those waits in virtual time (test/helpers/fake-clock.ts): exact, and without spending
 * wall-clock seconds.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /**
   * Resolves once `ms` milliseconds have passed on this clock, or as soon as `signal` aborts (a
   * wait cut short: a long wait must not keep a closing process alive).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<unknown>;
}

/** The real time: Date.now and a timer. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => (signal === undefined ? delay(ms) : delay(ms, undefined, { signal }).catch(() => undefined)),
};
