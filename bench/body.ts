/** A deterministic router request: a third each identify, custom track, order completed with 1–3 products. */
import { mulberry32 as prng } from '../src/prng.js';


const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson'];
const EVENTS = ['Product Viewed', 'Signed Up', 'Wishlist Added', 'Newsletter Subscribed'];

export const DESTINATION = {
  ID: 'dest-bench',
  Name: 'ometria-bench',
  DestinationDefinition: { ID: 'def-ometria', Name: 'OMETRIA', DisplayName: 'Ometria', Config: {} },
  Config: { apiKey: 'bench-api-key', marketingOptin: 'NOT_SPECIFIED', allowMarketing: false, allowTransactional: false },
  Enabled: true,
  WorkspaceID: 'ws-bench',
  Transformations: null,
  IsProcessorEnabled: true,
  RevisionID: 'rev-bench',
  hasDynamicConfig: false,
};

function metadata(jobId: number, userId: string) {
  return {
    userId,
    jobId,
    sourceId: 'src-bench',
    sourceCategory: '',
    destinationId: DESTINATION.ID,
    attemptNum: 0,
    receivedAt: '2024-03-01T12:34:56.789Z',
    createdAt: '2024-03-01T12:34:56.789Z',
    firstAttemptedAt: '',
    transformAt: 'router',
    workspaceId: 'ws-bench',
    secret: null,
    workerAssignedTime: '2024-03-01T12:34:57.000Z',
    dontBatch: false,
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  };
}

function message(i: number, random: () => number): Record<string, unknown> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const userId = `user-${1000 + i}`;
  const first = pick(FIRST);
  const last = pick(LAST);
  const email = `${first.toLowerCase()}.${last.toLowerCase()}${i}@example.com`;
  const timestamp = new Date(Date.UTC(2024, 2, 1, 12, 0, i % 60, Math.floor(random() * 1000))).toISOString();
  const context = {
    ip: `81.2.69.${i % 250}`,
    library: { name: 'analytics.js', version: '2.11.1' },
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
    locale: 'en-GB',
    timezone: 'Europe/London',
    traits: { email },
  };
  const base = { messageId: `msg-${i}`, anonymousId: `anon-${i}`, userId, timestamp, originalTimestamp: timestamp, channel: 'web', context };
  switch (i % 3) {
    case 0:
      return {
        ...base,
        type: 'identify',
        traits: {
          email,
          listingId: `listing-${i}`,
          firstName: first,
          lastName: last,
          phone: `+4479111${String(10000 + Math.floor(random() * 89999))}`,
          gender: random() < 0.5 ? 'female' : 'male',
          createdAt: timestamp,
          plan: pick(['free', 'pro', 'team']),
          visits: Math.floor(random() * 100),
        },
      };
    case 1:
      return {
        ...base,
        type: 'track',
        event: pick(EVENTS),
        properties: { sku: `SKU-${Math.floor(random() * 5000)}`, price: Math.round(random() * 10000) / 100, category: 'shoes', currency: 'GBP' },
      };
    default: {
      const count = 1 + Math.floor(random() * 3);
      const products = Array.from({ length: count }, (_, p) => ({
        product_id: `prod-${Math.floor(random() * 9000)}`,
        variant_id: `var-${p}`,
        sku: `SKU-${p}`,
        name: 'Running shoe',
        quantity: 1 + Math.floor(random() * 3),
        unit_price: Math.round(random() * 10000) / 100,
        variant_options: [{ id: 'size', type: 'size', label: String(38 + p) }],
      }));
      return {
        ...base,
        type: 'track',
        event: 'Order Completed',
        properties: {
          order_id: `order-${i}`,
          grand_total: Math.round(random() * 30000) / 100,
          subtotal: 100,
          shipping: 4.95,
          currency: 'GBP',
          coupon_code: 'SPRING',
          shipping_address: { city: 'London', country: 'GB', postcode: 'N1 9GU' },
          products,
        },
      };
    }
  }
}

/** The router request body (plain form: each item carries its destination). */
export function routerBody(events = 100, seed = 42): string {
  const random = prng(seed);
  const input = Array.from({ length: events }, (_, i) => {
    const msg = message(i, random);
    return { message: msg, metadata: metadata(i + 1, String(msg.userId)), destination: DESTINATION };
  });
  return JSON.stringify({ input, destType: 'ometria' });
}

/** The same events in the compacted form (X-Content-Format: json+compactedv1). */
export function compactedRouterBody(events = 100, seed = 42): string {
  const random = prng(seed);
  const input = Array.from({ length: events }, (_, i) => {
    const msg = message(i, random);
    return { message: msg, metadata: metadata(i + 1, String(msg.userId)) };
  });
  return JSON.stringify({
    input,
    destType: 'ometria',
    destinations: { [DESTINATION.ID]: DESTINATION },
    connections: { [`src-bench:${DESTINATION.ID}`]: { sourceId: 'src-bench', destinationId: DESTINATION.ID, enabled: true, config: {} } },
  });
}
