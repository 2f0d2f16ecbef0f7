/** One skipped or dropped value: the field path it came from and why (never the value: it may be PII). */
export interface Warning {
  readonly path: string;
  readonly reason: string;
}

const NONE: readonly Warning[] = Object.freeze([]);

export class Warnings {
  // Most events have none: the list is only made for the first.
  #list: Warning[] | undefined;

  add(path: string, reason: string): void {
    (this.#list ??= []).push({ path, reason });
  }

  get list(): readonly Warning[] {
    return this.#list ?? NONE;
  }

  get size(): number {
    return this.#list?.length ?? 0;
  }

  texts(prefix = ''): string[] {
    return this.list.map((w) => `${prefix}${w.path}: ${w.reason}`);
  }
}
