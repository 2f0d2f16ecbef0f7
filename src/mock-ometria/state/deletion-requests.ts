import type { DeletionRequest } from '../schemas.js';

/** The data deletion requests Ometria has accepted, per API key (by fingerprint, never the key). */
export class DeletionRequestStore {
  readonly #byKey = new Map<string, DeletionRequest[]>();

  add(keyFingerprint: string, request: DeletionRequest): void {
    const requests = this.#byKey.get(keyFingerprint) ?? [];
    requests.push(request);
    this.#byKey.set(keyFingerprint, requests);
  }

  /** One key's requests, newest first, as a status listing reads (like `_errors`). */
  list(keyFingerprint: string): DeletionRequest[] {
    return [...(this.#byKey.get(keyFingerprint) ?? [])].reverse();
  }

  clear(): void {
    this.#byKey.clear();
  }
}
