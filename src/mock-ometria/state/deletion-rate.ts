/** Whether a request may go ahead, and if not, when the key's next slot frees. */
export type RateDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

// Ometria's limit is per minute.
const WINDOW_MS = 60_000;

/**
 * A sliding 60 s window per key: at most `limit` admitted requests in any 60 s, so a burst at the
 * end of one minute cannot be followed by another at the start of the next, as fixed windows
 * would allow. Only admitted requests take a slot: a client retrying against a 429 does not push
 * its own slot further away. Keys are fingerprints; the limiter never sees an API key.
 */
export class SlidingRateWindow {
  readonly #admitted = new Map<string, number[]>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** Admits the request and takes a slot, or says in whole seconds (rounded up) when the oldest slot frees. `limit` 0 = no limit. */
  admit(key: string, limit: number): RateDecision {
    if (limit === 0) return { ok: true };
    const now = this.clock();
    // A slot taken at t frees at t + 60 s: the window is (now − 60 s, now].
    const recent = (this.#admitted.get(key) ?? []).filter((at) => at > now - WINDOW_MS);
    this.#admitted.set(key, recent);
    if (recent.length < limit) {
      recent.push(now);
      return { ok: true };
    }
    // Slots are kept in arrival order; the one freeing first is `limit` places from the end.
    const frees = (recent[recent.length - limit] ?? now) + WINDOW_MS;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((frees - now) / 1000)) };
  }

  clear(): void {
    this.#admitted.clear();
  }
}
