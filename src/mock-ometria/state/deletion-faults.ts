import { Value } from '@sinclair/typebox/value';
import { DeletionSettingsSchema, type DeletionSettings, type DeletionSettingsUpdate } from '../schemas.js';
import { seededRandom } from './random.js';

/** Why the settings cannot be used, or undefined: shape first, then the shares' sum. */
export function deletionSettingsProblem(settings: unknown): string | undefined {
  if (!Value.Check(DeletionSettingsSchema, settings)) {
    const first = Value.Errors(DeletionSettingsSchema, settings).First();
    return `${first?.path === '' || first === undefined ? '(settings)' : first.path}: ${first?.message ?? 'invalid'}`;
  }
  const sum = settings.dropRate + settings.lostAnswerRate + settings.failRate + settings.throttleRate;
  // A small tolerance, so 0.1 + 0.2 + 0.7 is not refused for floating-point noise.
  if (sum > 1 + 1e-9) {
    return `dropRate + lostAnswerRate + failRate + throttleRate must not exceed 1 (they add up to ${sum})`;
  }
  return undefined;
}

/** Full settings from a partial one: what is omitted takes its default (six a minute, faults off). Throws when unusable. */
export function resolveDeletionSettings(update: DeletionSettingsUpdate = {}): DeletionSettings {
  const settings: unknown = Value.Default(DeletionSettingsSchema, structuredClone(update));
  const problem = deletionSettingsProblem(settings);
  if (problem !== undefined) throw new RangeError(`Invalid deletion settings: ${problem}`);
  return settings as DeletionSettings;
}

/**
 * What the injector decided for one data deletion request. `drop` ends it before anything is
 * looked at; `lost-answer` lets it be judged (and created) and then loses the answer, the case
 * a client cannot tell from a drop and the reason a deletion may reach Ometria twice.
 */
export type DeletionFault = 'drop' | 'lost-answer' | 'fail' | 'throttle' | 'none';

/**
 * The settings of the deletion route and its fault draws, kept apart from the push route's so a
 * test can break one without the other. The four shares are consecutive slices of a single draw
 * per request ([0, drop), then lost answer, fail, throttle), so each is exactly its part of the
 * requests and a seed always gives the same sequence for the same settings.
 */
export class DeletionFaultInjector {
  #settings: DeletionSettings;
  #random: () => number;

  constructor(settings: DeletionSettings) {
    this.#settings = settings;
    this.#random = seededRandom(settings.seed);
  }

  get settings(): DeletionSettings {
    return this.#settings;
  }

  /** New settings restart the PRNG from their seed. */
  replace(settings: DeletionSettings): void {
    this.#settings = settings;
    this.#random = seededRandom(settings.seed);
  }

  /** One draw per request, whatever the settings, so sequences depend only on seed and order. */
  draw(): DeletionFault {
    const { dropRate, lostAnswerRate, failRate, throttleRate } = this.#settings;
    const r = this.#random();
    if (r < dropRate) return 'drop';
    if (r < dropRate + lostAnswerRate) return 'lost-answer';
    if (r < dropRate + lostAnswerRate + failRate) return 'fail';
    if (r < dropRate + lostAnswerRate + failRate + throttleRate) return 'throttle';
    return 'none';
  }
}
