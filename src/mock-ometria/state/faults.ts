import { Value } from '@sinclair/typebox/value';
import { FaultSettingsSchema, type FaultSettings, type FaultSettingsUpdate } from '../schemas.js';
import { seededRandom } from './random.js';

/** Why the settings cannot be used, or undefined: shape first, then the shares' sum. */
export function faultSettingsProblem(settings: unknown): string | undefined {
  if (!Value.Check(FaultSettingsSchema, settings)) {
    const first = Value.Errors(FaultSettingsSchema, settings).First();
    return `${first?.path === '' || first === undefined ? '(settings)' : first.path}: ${first?.message ?? 'invalid'}`;
  }
  const sum = settings.dropRate + settings.failRate + settings.throttleRate;
  // A small tolerance, so 0.1 + 0.2 + 0.7 is not refused for floating-point noise.
  if (sum > 1 + 1e-9) return `dropRate + failRate + throttleRate must not exceed 1 (they add up to ${sum})`;
  return undefined;
}

/** Full settings from a partial one: what is omitted takes its default (off). Throws when unusable. */
export function resolveFaults(update: FaultSettingsUpdate = {}): FaultSettings {
  const settings: unknown = Value.Default(FaultSettingsSchema, structuredClone(update));
  const problem = faultSettingsProblem(settings);
  if (problem !== undefined) throw new RangeError(`Invalid fault settings: ${problem}`);
  return settings as FaultSettings;
}

/** What the injector decided for one push, before anything else is looked at. */
export type FaultDecision = 'drop' | 'fail' | 'throttle' | 'none';

interface RateWindow {
  start: number;
  count: number;
}

/**
 * Decides the injected faults of each push. The three shares are consecutive slices of a single
 * draw per push ([0, drop) drops, then fail, then throttle), so each share is exactly its part of
 * the pushes and a given seed always yields the same sequence for the same settings.
 */
export class FaultInjector {
  #settings: FaultSettings;
  #random: () => number;
  readonly #windows = new Map<string, RateWindow>();

  constructor(
    settings: FaultSettings,
    private readonly clock: () => number = Date.now,
  ) {
    this.#settings = settings;
    this.#random = seededRandom(settings.seed);
  }

  get settings(): FaultSettings {
    return this.#settings;
  }

  /** New settings restart the PRNG from their seed and open fresh rate-limit windows. */
  replace(settings: FaultSettings): void {
    this.#settings = settings;
    this.#random = seededRandom(settings.seed);
    this.#windows.clear();
  }

  /** One draw per push, whatever the settings, so sequences depend only on seed and order. */
  draw(): FaultDecision {
    const { dropRate, failRate, throttleRate } = this.#settings;
    const r = this.#random();
    if (r < dropRate) return 'drop';
    if (r < dropRate + failRate) return 'fail';
    if (r < dropRate + failRate + throttleRate) return 'throttle';
    return 'none';
  }

  /**
   * Fixed one-second windows per API key: a window opens at the key's first push after the
   * previous one ended (not at wall-clock second boundaries, so a quick burst is never split
   * across two windows). False when the key is over its limit in the current window.
   */
  admit(apiKey: string): boolean {
    const limit = this.#settings.rateLimitPerSecond;
    if (limit === 0) return true;
    const now = this.clock();
    let window = this.#windows.get(apiKey);
    if (window === undefined || now - window.start >= 1000) {
      window = { start: now, count: 0 };
      this.#windows.set(apiKey, window);
    }
    window.count += 1;
    return window.count <= limit;
  }
}
