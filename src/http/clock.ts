import { setTimeout as delay } from 'node:timers/promises';

/**
 * Where the outbound client reads the time and waits: deadlines, backoff, Retry-After and
 * rate-limit waits all go through one. It is injected so that tests run those waits in virtual
 * time (test/helpers/fake-clock.ts): exact, and without spending wall-clock seconds.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves once `ms` milliseconds have passed on this clock. */
  sleep(ms: number): Promise<unknown>;
}

/** The real time: Date.now and a timer. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => delay(ms),
};
