import type { MockStats } from '../schemas.js';

/** Counters of POST /v2/push traffic, so tests can prove what arrived and what was answered. */
export class PushStats {
  #pushes = 0;
  #dropped = 0;
  #accepted = 0;
  #rejected = 0;
  #responses = new Map<number, number>();

  countPush(): void {
    this.#pushes += 1;
  }

  countDrop(): void {
    this.#dropped += 1;
  }

  countResponse(status: number): void {
    this.#responses.set(status, (this.#responses.get(status) ?? 0) + 1);
  }

  countRecords(accepted: number, rejected: number): void {
    this.#accepted += accepted;
    this.#rejected += rejected;
  }

  snapshot(writes: Record<string, number>): MockStats {
    return {
      pushes: this.#pushes,
      dropped: this.#dropped,
      responses: Object.fromEntries([...this.#responses].sort(([a], [b]) => a - b).map(([s, n]) => [String(s), n])),
      accepted: this.#accepted,
      rejected: this.#rejected,
      writes,
    };
  }

  clear(): void {
    this.#pushes = 0;
    this.#dropped = 0;
    this.#accepted = 0;
    this.#rejected = 0;
    this.#responses.clear();
  }
}
