/** One skipped or dropped value: the field path it came from and why (never the value: it may be PII). */
export interface Warning {
  readonly path: string;
  readonly reason: string;
}

export class Warnings {
  readonly list: Warning[] = [];

  add(path: string, reason: string): void {
    this.list.push({ path, reason });
  }

  get size(): number {
    return this.list.length;
  }

  texts(prefix = ''): string[] {
    return this.list.map((w) => `${prefix}${w.path}: ${w.reason}`);
  }
}
