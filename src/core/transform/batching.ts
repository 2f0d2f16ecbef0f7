import { canonicalJson, sameCanonicalJson } from './canonical-json.js';
import type { DestinationDefinition, OutboundRequest } from '../destination.js';
import type { TransformedEvent } from './pipeline.js';

export interface Batch {
  /** In input order; the request's records are in this order. */
  readonly events: readonly TransformedEvent[];
  readonly type: string;
  readonly request: OutboundRequest;
}

/**
 * Router batches (docs/RUDDERSTACK.md, "Batching rules"): grouped by destination ID, resolved
 * Config and record type, in order of first appearance, then cut into batches of at most
 * `maxBatchSize`. Each event's own config (API key) travels with its batch, and record types never
 * mix in one push.
 */
export function batchEvents(def: DestinationDefinition, events: readonly TransformedEvent[]): Batch[] {
  // Groups in order of first appearance; an event finds its group through its destination object
  // (a compacted request's events share one), whose content key is computed once per object.
  const groups: TransformedEvent[][] = [];
  const byContent = new Map<string, Map<string, TransformedEvent[]>>();
  const byObject = new Map<object, Map<string, TransformedEvent[]>>();
  // Configs of one destination arrive as identical JSON: canonicalize each distinct text once.
  const canonical = new Map<string, string>();
  // A plain request repeats its destination in every event: one equal to the last one looked up
  // (compared in place, which costs far less than writing it) joins that one's groups.
  let last: { readonly ID: unknown; readonly Config: unknown; readonly byType: Map<string, TransformedEvent[]> } | undefined;
  for (const event of events) {
    let byType = byObject.get(event.destination);
    if (byType === undefined) {
      const { ID, Config } = event.destination;
      if (last !== undefined && typeof ID === 'string' && ID === last.ID && sameCanonicalJson(Config, last.Config)) {
        byType = last.byType;
      } else {
        const text = JSON.stringify(Config) ?? '';
        let config = canonical.get(text);
        if (config === undefined) canonical.set(text, (config = canonicalJson(Config)));
        const key = `${JSON.stringify(ID) ?? ''}\u0000${config}`;
        byType = byContent.get(key);
        if (byType === undefined) byContent.set(key, (byType = new Map()));
      }
      byObject.set(event.destination, byType);
      last = { ID, Config, byType };
    }
    let group = byType.get(event.type);
    if (group === undefined) {
      byType.set(event.type, (group = []));
      groups.push(group);
    }
    group.push(event);
  }
  const batches: Batch[] = [];
  for (const group of groups) {
    for (let start = 0; start < group.length; start += def.maxBatchSize) {
      const slice = group.slice(start, start + def.maxBatchSize);
      const first = slice[0] as TransformedEvent;
      let records = '[';
      for (let i = 0; i < slice.length; i++) records += i === 0 ? (slice[i] as TransformedEvent).json : `,${(slice[i] as TransformedEvent).json}`;
      batches.push({ events: slice, type: first.type, request: def.request(`${records}]`, first.config) });
    }
  }
  return batches;
}
