import { headerValue } from '../core/headers.js';

/** Header names carrying a destination's queue limit and the room left in it (in records). */
export interface QueueHeaders {
  readonly limit: string;
  readonly remaining: string;
}

/** Told the last figures of a queue; `label` names the queue's user (a destination id, never a key). */
export type QueueObserver = (label: string, limit: number, remaining: number) => void;

interface Room {
  readonly limit: number;
  readonly remaining: number;
}

const count = (value: string | undefined): number | undefined => {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
};

/**
 * The room a destination's asynchronous queue last reported, per rate key (an API key, kept
 * here only). Ometria answers pushes with X-QueueSize-Limit / X-QueueSize-Remaining and refuses
 * with 429 once the queue is full: a push that would not fit is held back as if it had been
 * refused, instead of being sent to be refused.
 */
export class QueueRoom {
  readonly #rooms = new Map<string, Room>();

  constructor(
    private readonly headers: QueueHeaders,
    private readonly observer?: QueueObserver,
  ) {}

  /** Reads an answer's headers; answers without both figures change nothing. */
  observe(key: string, label: string | undefined, headers: Readonly<Record<string, string>>): void {
    const limit = count(headerValue(headers, this.headers.limit));
    const remaining = count(headerValue(headers, this.headers.remaining));
    if (limit === undefined || remaining === undefined) return;
    this.#rooms.set(key, { limit, remaining });
    if (label !== undefined) this.observer?.(label, limit, remaining);
  }

  /** The room left when it is known to be too small for `records`, else undefined. */
  shortOf(key: string, records: number): number | undefined {
    const room = this.#rooms.get(key);
    return room !== undefined && room.remaining < records ? room.remaining : undefined;
  }

  /** After waiting, the last figure is stale: the next answer tells again. */
  forget(key: string): void {
    this.#rooms.delete(key);
  }
}
