import type { PushErrorEntry } from '../schemas.js';

/** Ometria's GET /v2/push/_errors keeps the 100 most recent per-record errors. */
export const ERROR_LOG_LIMIT = 100;

/** The most recent per-record errors, oldest dropped first. */
export class ErrorLog {
  #entries: PushErrorEntry[] = [];

  add(entry: PushErrorEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > ERROR_LOG_LIMIT) this.#entries.splice(0, this.#entries.length - ERROR_LOG_LIMIT);
  }

  /** Newest first, as a "most recent errors" listing reads; only one push's when `requestId` is given. */
  list(requestId?: string): PushErrorEntry[] {
    const entries = requestId === undefined ? this.#entries : this.#entries.filter((e) => e.request_id === requestId);
    return [...entries].reverse();
  }

  clear(): void {
    this.#entries = [];
  }
}
