import type { StoredRecord } from '../schemas.js';

interface Entry {
  record: StoredRecord;
  writes: number;
}

/**
 * Accepted records, upserted by (`@type`, `id`) as Ometria does: the first push adds the record,
 * later ones merge their top-level fields into it (a partial update leaves the other fields as
 * they were). Ometria does not document deep merging, so nested objects are replaced whole.
 */
export class RecordStore {
  // Keyed "<@type>:<id>": types never contain a colon, so the key splits back unambiguously.
  readonly #entries = new Map<string, Entry>();

  upsert(type: string, id: string, record: StoredRecord): void {
    const key = `${type}:${id}`;
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      this.#entries.set(key, { record: { ...record }, writes: 1 });
      return;
    }
    entry.record = { ...entry.record, ...record };
    entry.writes += 1;
  }

  has(type: string, id: string): boolean {
    return this.#entries.has(`${type}:${id}`);
  }

  /** Stored records in the order they were first pushed, optionally of one `@type`. */
  list(type?: string): StoredRecord[] {
    const records: StoredRecord[] = [];
    for (const { record } of this.#entries.values()) {
      if (type === undefined || record['@type'] === type) records.push(record);
    }
    return records;
  }

  /** How many accepted writes each record key received (retries and re-pushes included). */
  writes(): Record<string, number> {
    return Object.fromEntries([...this.#entries].map(([key, entry]) => [key, entry.writes]));
  }

  clear(): void {
    this.#entries.clear();
  }
}
