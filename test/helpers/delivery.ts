import type { RunningMockOmetria } from '../../src/mock-ometria/start.js';
import { badMessage, customEventMessage, destination, identifyMessage, orderMessage, routerMetadata } from './envelopes.js';

/** Service env for delivery tests: the mock as Ometria, quick retries, no client-side rate limit. */
export function deliveryEnv(mockUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    OMETRIA_API_URL: mockUrl,
    OMETRIA_MAX_ATTEMPTS: '10',
    OMETRIA_RETRY_BASE_MS: '2',
    OMETRIA_RETRY_MAX_MS: '20',
    OMETRIA_RATE_LIMIT: '0',
    ...extra,
  };
}

export interface MixedEvents {
  readonly input: { message: unknown; metadata: ReturnType<typeof routerMetadata>; destination: unknown }[];
  /** Ids the mock must end up holding, by record type. */
  readonly expected: Record<'contact' | 'custom_event' | 'order', string[]>;
  /** jobIds of the events that are invalid (every tenth). */
  readonly invalid: Set<number>;
}

/** `count` router events cycling identify / custom event / order, every tenth one invalid. */
export function mixedEvents(count: number, apiKey = 'key-1'): MixedEvents {
  const expected: MixedEvents['expected'] = { contact: [], custom_event: [], order: [] };
  const invalid = new Set<number>();
  const input = Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    let message: unknown;
    if (n % 10 === 0) {
      message = badMessage(n);
      invalid.add(n);
    } else if (n % 3 === 0) {
      message = identifyMessage(n);
      expected.contact.push(`L${n}`);
    } else if (n % 3 === 1) {
      message = customEventMessage(n);
      expected.custom_event.push(`m-${n}`);
    } else {
      message = orderMessage(n);
      expected.order.push(`o-${n}`);
    }
    return { message, metadata: routerMetadata(n), destination: destination('dest-1', { apiKey }) };
  });
  return { input, expected, invalid };
}

interface StoredRecord {
  readonly '@type': string;
  readonly id: string;
}

/** The ids the mock holds for a record type, sorted. */
export async function storedIds(mock: RunningMockOmetria, type: string): Promise<string[]> {
  const res = await fetch(`${mock.url}/_records?type=${type}`);
  if (res.status !== 200) throw new Error(`/_records answered HTTP ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { records: StoredRecord[] };
  return body.records.map((r) => r.id).sort();
}

export async function mockStats(mock: RunningMockOmetria): Promise<{ pushes: number; dropped: number; responses: Record<string, number> }> {
  const res = await fetch(`${mock.url}/_stats`);
  if (res.status !== 200) throw new Error(`/_stats answered HTTP ${res.status}: ${await res.text()}`);
  return (await res.json()) as { pushes: number; dropped: number; responses: Record<string, number> };
}
