import type { DeletionInspection, ReceivedDeletion } from '../schemas.js';

/**
 * Every request POST /v2/data-deletion-requests received, with the plain email: the mock is a
 * test double, and tests must count how often each address was accepted (at most once per person,
 * plus one repeat per lost answer). Ometria's own surface never shows it.
 */
export class DeletionLog {
  #entries: ReceivedDeletion[] = [];

  add(entry: ReceivedDeletion): void {
    this.#entries.push(entry);
  }

  snapshot(): DeletionInspection {
    // A Map, so that an address such as "__proto__" is counted like any other.
    const accepted = new Map<string, number>();
    for (const { email, accepted: wasAccepted } of this.#entries) {
      if (wasAccepted && email !== null) accepted.set(email, (accepted.get(email) ?? 0) + 1);
    }
    return { requests: [...this.#entries], accepted: Object.fromEntries(accepted) };
  }

  clear(): void {
    this.#entries = [];
  }
}
