/** Why a value was skipped or dropped, in a closed set (a metric label). */
export type WarningCode =
  | 'wrong_kind'
  | 'too_deep'
  | 'invalid'
  | 'not_finite'
  | 'not_an_object'
  | 'incomplete'
  | 'unread_key';

/** One skipped or dropped value: the field path it came from and why (never the value: it may be PII). */
export interface Warning {
  readonly path: string;
  readonly reason: string;
  readonly code: WarningCode;
  /**
   * The path as a bounded label: list indexes are `[]` and a key of the sender's own choosing is
   * `*` (e.g. `properties.products[].*`), so metrics cannot grow with the input.
   */
  readonly field: string;
}

const NONE: readonly Warning[] = Object.freeze([]);

export class Warnings {
  // Most events have none: the lists are only made for the first.
  #list: Warning[] | undefined;
  #notes: string[] | undefined;

  /** `anyKey`: the path's last key is the sender's own (a custom field), not one the tables know. */
  add(path: string, reason: string, code: WarningCode, anyKey = false): void {
    (this.#list ??= []).push({ path, reason, code, field: fieldLabel(path, anyKey) });
  }

  /**
   * What is left out by design (an order update's other properties, leftovers beside
   * `custom_fields`): shown with `?explain=true` only, never logged or counted (docs/MAPPING.md, "Warnings").
   */
  note(path: string, reason: string): void {
    (this.#notes ??= []).push(`${path}: ${reason}`);
  }

  /** The skipped or dropped values (logged and counted); notes are not among them. */
  get list(): readonly Warning[] {
    return this.#list ?? NONE;
  }

  get size(): number {
    return this.#list?.length ?? 0;
  }

  /** Every warning, then every note, as `?explain=true` shows them. */
  texts(prefix = ''): string[] {
    const texts = this.list.map((w) => `${prefix}${w.path}: ${w.reason}`);
    if (this.#notes !== undefined) for (const note of this.#notes) texts.push(`${prefix}${note}`);
    return texts;
  }
}

function fieldLabel(path: string, anyKey: boolean): string {
  const bounded = path.replace(/\[\d+\]/g, '[]');
  return anyKey ? bounded.replace(/\.[^.]*$/, '.*') : bounded;
}
