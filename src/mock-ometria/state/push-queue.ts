import { Value } from '@sinclair/typebox/value';
import { QueueSettingsSchema, type QueueSettings, type QueueSettingsUpdate, type QueueState } from '../schemas.js';

/** Full settings from a partial one: limit omitted = off; drain omitted = the limit per second. Throws when unusable. */
export function resolveQueue(update: QueueSettingsUpdate = {}): QueueSettings {
  const limit = update.limit ?? 0;
  const settings = { limit, drainPerSecond: update.drainPerSecond ?? limit };
  // The control route's schema has checked its body already; this guards the start-up option.
  if (!Value.Check(QueueSettingsSchema, settings)) {
    const first = Value.Errors(QueueSettingsSchema, settings).First();
    throw new RangeError(`Invalid queue settings: ${first?.path ?? ''}: ${first?.message ?? 'invalid'}`);
  }
  return settings;
}

/**
 * Ometria's asynchronous backlog: accepted records wait, time drains them at `drainPerSecond`,
 * and a push whose records would not fit under `limit` is refused. Counted in thousandths of a
 * record so that draining by milliseconds stays in integers; a part-drained record still waits.
 */
export class PushQueue {
  #settings: QueueSettings;
  #waitingMilli = 0;
  #at: number;

  constructor(
    settings: QueueSettings,
    private readonly clock: () => number = Date.now,
  ) {
    this.#settings = settings;
    this.#at = clock();
  }

  get settings(): QueueSettings {
    return this.#settings;
  }

  get enabled(): boolean {
    return this.#settings.limit > 0;
  }

  /** New settings start from an empty queue, so a test's numbers do not depend on earlier ones. */
  replace(settings: QueueSettings): void {
    this.#settings = settings;
    this.clear();
  }

  clear(): void {
    this.#waitingMilli = 0;
    this.#at = this.clock();
  }

  /** Records waiting now, after what time has drained since the last look. */
  waiting(): number {
    const now = this.clock();
    // A clock going backwards drains nothing rather than refilling the queue.
    const elapsed = Math.max(0, now - this.#at);
    this.#at = now;
    this.#waitingMilli = Math.max(0, this.#waitingMilli - elapsed * this.#settings.drainPerSecond);
    return Math.ceil(this.#waitingMilli / 1000);
  }

  /** Room left under the limit, never below 0 (what X-QueueSize-Remaining says). */
  remaining(): number {
    return Math.max(0, this.#settings.limit - this.waiting());
  }

  /** Adds `count` records when they fit (always, when off); false, adding nothing, when they would not. */
  offer(count: number): boolean {
    if (!this.enabled) return true;
    if (this.waiting() + count > this.#settings.limit) return false;
    this.#waitingMilli += count * 1000;
    return true;
  }

  state(): QueueState {
    return { ...this.#settings, waiting: this.enabled ? this.waiting() : 0 };
  }
}
