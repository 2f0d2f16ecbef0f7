import type { DestinationDefinition } from '../core/destination.js';

/** Destinations by name; names match trimmed and case-insensitively (`ometria`, `OMETRIA`). */
export class DestinationRegistry {
  private readonly byName = new Map<string, DestinationDefinition>();

  constructor(definitions: readonly DestinationDefinition[]) {
    for (const def of definitions) this.byName.set(def.name.toLowerCase(), def);
  }

  get(name: string): DestinationDefinition | undefined {
    return this.byName.get(name.trim().toLowerCase());
  }

  all(): DestinationDefinition[] {
    return [...this.byName.values()];
  }
}
