import type { ErasureRequest } from '../destination.js';
import type { PersonRef } from './erasure-store.js';

/** Where a person stands: waiting, or settled one of three ways. */
export type EntryState = 'waiting' | 'accepted' | 'key-refused' | 'person-refused';

/** Why a waiting person waits (answers and logs say so). */
export type WaitReason = 'rate' | 'elsewhere' | 'retry' | 'answer';

/**
 * One person on their way to the destination, in this process's memory only (the address and the
 * key live in `request` and nowhere else). Calls of the same job share the entry and wait on
 * `settled`.
 */
export class PersonEntry {
  state: EntryState = 'waiting';
  reason: WaitReason = 'rate';
  /** The last failure, for a person waiting to retry: "Ometria answered 503", "no answer from Ometria (ETIMEDOUT)". */
  failure = '';
  /** The status of the answer that refused the person (person-refused). */
  refusedStatus = 0;
  /** Failed attempts so far (the backoff's exponent). */
  failures = 0;
  /** When the lane looks at a person it set aside (another process's claim, a backoff) again. */
  recheckAt = 0;
  readonly settled: Promise<void>;
  #resolve!: () => void;

  constructor(
    readonly ref: PersonRef,
    readonly request: ErasureRequest,
    /** When it started waiting (epoch ms): the age of the oldest waiting person. */
    readonly since: number,
  ) {
    this.settled = new Promise((resolve) => (this.#resolve = resolve));
  }

  settle(state: Exclude<EntryState, 'waiting'>): void {
    if (this.state !== 'waiting') return;
    this.state = state;
    this.#resolve();
  }
}
