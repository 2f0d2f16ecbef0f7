import { mulberry32 } from '../test/helpers/prng.js';

/** Draws from a seeded PRNG, so every template is the same from run to run. */
export class Draw {
  readonly #random: () => number;

  constructor(seed: number) {
    this.#random = mulberry32(seed);
  }

  chance(p: number): boolean {
    return this.#random() < p;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.#random() * (max - min + 1));
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.#random() * list.length)] as T;
  }

  /** A key of `weights`, drawn in proportion to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    let left = this.#random() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, weight] of entries) {
      left -= weight;
      if (left < 0) return key;
    }
    return entries[entries.length - 1]![0];
  }

  hex(length: number): string {
    let text = '';
    for (let i = 0; i < length; i++) text += Math.floor(this.#random() * 16).toString(16);
    return text;
  }

  digits(length: number): string {
    let text = '';
    for (let i = 0; i < length; i++) text += String(Math.floor(this.#random() * 10));
    return text;
  }

  shuffle<T>(list: T[]): T[] {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(this.#random() * (i + 1));
      [list[i], list[j]] = [list[j] as T, list[i] as T];
    }
    return list;
  }

  /** A price with two decimals in [min, max). */
  price(min: number, max: number): number {
    return Math.round((min + this.#random() * (max - min)) * 100) / 100;
  }
}
