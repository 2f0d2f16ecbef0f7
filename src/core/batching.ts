import { canonicalJson } from './canonical-json.js';
import type { DestinationDefinition, OutboundRequest } from './destination.js';
import type { TransformedEvent } from './pipeline.js';

export interface Batch {
  /** In input order; the request's records are in this order. */
  readonly events: readonly TransformedEvent[];
  readonly type: string;
  readonly request: OutboundRequest;
}

/**
 * SPEC §5 Router batches: grouped by destination ID, resolved Config and record type, in order of
 * first appearance, then cut into batches of at most `maxBatchSize`. Each event's own config (API
 * key) travels with its batch, and types never mix (Ometria: "never mix object types").
 */
export function batchEvents(def: DestinationDefinition, events: readonly TransformedEvent[]): Batch[] {
  const groups = new Map<string, TransformedEvent[]>();
  // Configs of one destination arrive as identical JSON: canonicalize each distinct text once.
  const canonical = new Map<string, string>();
  // A compacted request's events share one Config object: the last one's key is reused as is.
  let lastConfig: unknown;
  let lastKey: string | undefined;
  const configKey = (config: unknown): string => {
    if (lastKey !== undefined && config === lastConfig) return lastKey;
    const text = JSON.stringify(config) ?? '';
    let key = canonical.get(text);
    if (key === undefined) canonical.set(text, (key = canonicalJson(config)));
    lastConfig = config;
    lastKey = key;
    return key;
  };
  for (const event of events) {
    const key = `${JSON.stringify(event.destination.ID) ?? ''}\u0000${configKey(event.destination.Config)}\u0000${event.type}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [event]);
    else group.push(event);
  }
  const batches: Batch[] = [];
  for (const group of groups.values()) {
    for (let start = 0; start < group.length; start += def.maxBatchSize) {
      const slice = group.slice(start, start + def.maxBatchSize);
      const first = slice[0] as TransformedEvent;
      const records = `[${slice.map((e) => e.json).join(',')}]`;
      batches.push({ events: slice, type: first.type, request: def.request(records, first.config) });
    }
  }
  return batches;
}
