import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { testApp } from '../helpers/app.js';
import { deliveryEnv } from '../helpers/delivery.js';
import { withMock } from '../helpers/mock-client.js';
import { destination, identifyMessage, orderMessage, routerMetadata } from '../helpers/envelopes.js';
import { proxyRequestBody } from '../helpers/proxy.js';

type Json = Record<string, any>;

const event = (message: unknown, jobId: number) => ({
  message,
  metadata: routerMetadata(jobId),
  destination: destination('dest-1', { apiKey: 'key-1' }),
});

/** An order event of order `o-<order>`; the event name decides its status. A refund lists the refunded products only when `partial`. */
const lifecycle = (n: number, name: string, order = n, partial = false) => {
  const message = { ...orderMessage(order), messageId: `m-${n}`, event: name };
  if (partial || !/refund/i.test(name)) return message;
  const { products: _products, ...rest } = message.properties;
  return { ...message, properties: rest };
};

const jobIdsOf = (item: Json): number[] => (item.metadata as Json[]).map((m) => m.jobId as number);
const recordsOf = (item: Json): Json[] => JSON.parse(item.batchedRequest.body.JSON_ARRAY.batch) as Json[];
const statusesOf = (item: Json) => recordsOf(item).map((r) => [r['@type'], r.id, r.status, r.is_valid]);

async function router(t: Test, app: FastifyInstance, url: '/routerTransform' | '/batch', input: unknown[]): Promise<Json[]> {
  const res = await app.inject({ method: 'POST', url, payload: { input, destType: 'ometria' } });
  t.equal(res.statusCode, 200);
  const body = res.json() as Json;
  return (url === '/batch' ? body : body.output) as Json[];
}

const storedOrders = async (url: string): Promise<Json[]> => {
  const res = await fetch(`${url}/_records?type=order`);
  if (res.status !== 200) throw new Error(`mock answered ${res.status}`);
  return ((await res.json()) as { records: Json[] }).records;
};

t.test('completed orders and updates (cancelled, refunded, partial refund) of one destination travel in one order batch, in metadata order', async (t) => {
  const app = await testApp(t);
  const input = [
    event(lifecycle(1, 'Order Completed'), 1),
    event(lifecycle(2, 'Order Cancelled'), 2),
    event(lifecycle(3, 'refunded'), 3),
    event(lifecycle(4, 'Order Refunded', 4, true), 4),
  ];
  for (const url of ['/routerTransform', '/batch'] as const) {
    const output = await router(t, app, url, input);
    t.strictSame(output.map((o) => [o.statusCode, o.batched, jobIdsOf(o)]), [[200, true, [1, 2, 3, 4]]], url);
    t.strictSame(statusesOf(output[0] as Json), [
      ['order', 'o-1', 'complete', true],
      ['order', 'o-2', 'cancelled', false],
      ['order', 'o-3', 'refunded', false],
      ['order', 'o-4', 'partial_refund', undefined],
    ], `${url}: records in metadata order`);
    t.strictSame(Object.keys(recordsOf(output[0] as Json)[1] as Json), ['@type', 'id', 'status', 'is_valid'], `${url}: an update carries its four keys only`);
  }
});

t.test('a contact between the orders gets a batch of its own; the orders still share one', async (t) => {
  const app = await testApp(t);
  const input = [event(lifecycle(1, 'Order Completed'), 1), event(identifyMessage(2), 2), event(lifecycle(3, 'Order Refunded'), 3)];
  const output = await router(t, app, '/routerTransform', input);
  t.strictSame(output.map((o) => [o.batched, jobIdsOf(o), recordsOf(o).map((r) => r['@type'])]), [
    [true, [1, 3], ['order', 'order']],
    [true, [2], ['contact']],
  ]);
});

t.test('/deliver: a cancel updates the order Ometria has, keeping its date, total and line items; a partial refund keeps it valid', async (t) => {
  const mock = await withMock(t);
  const app = await testApp(t, deliveryEnv(mock.url));
  const deliver = async (input: unknown[]) => {
    const res = await app.inject({ method: 'POST', url: '/deliver', payload: { input, destType: 'ometria' } });
    t.equal(res.statusCode, 200);
    return (res.json() as { output: Json[] }).output.map((e) => [e.metadata.jobId, e.statusCode]);
  };
  t.strictSame(await deliver([event(lifecycle(1, 'Order Completed', 7), 1), event(lifecycle(2, 'Order Completed', 8), 2)]), [
    [1, 200],
    [2, 200],
  ]);
  // The e-commerce spec's partial refund: the refunded product, and the refund's own total.
  const partial = {
    ...lifecycle(4, 'Order Refunded', 8, true),
    properties: { order_id: 'o-8', products: [{ product_id: 'p1', quantity: 1, price: 4 }], total: 4, currency: 'GBP' },
  };
  t.strictSame(await deliver([event(lifecycle(3, 'Order Cancelled', 7), 3), event(partial, 4)]), [
    [3, 200],
    [4, 200],
  ]);
  t.strictSame(
    (await storedOrders(mock.url)).map((r) => [r.id, r.status, r.is_valid, r.grand_total, r.timestamp, (r.lineitems as Json[]).length]),
    [
      ['o-7', 'cancelled', false, 10, '2024-03-01T12:34:56.789Z', 1],
      ['o-8', 'partial_refund', true, 10, '2024-03-01T12:34:56.789Z', 1],
    ],
    "the orders keep what Ometria had; only the status (and is_valid) changed",
  );
});

t.test('/deliver: an update of an order Ometria does not have is rejected with its reason', async (t) => {
  const mock = await withMock(t);
  const app = await testApp(t, deliveryEnv(mock.url));
  const res = await app.inject({ method: 'POST', url: '/deliver', payload: { input: [event(lifecycle(1, 'Order Cancelled', 9), 1)], destType: 'ometria' } });
  t.equal(res.statusCode, 200);
  const [entry] = (res.json() as { output: Json[] }).output;
  t.equal(entry?.statusCode, 400);
  t.match(entry?.error, /^Ometria rejected this record .*timestamp is required for a new order/);
});

for (const version of [0, 1] as const) {
  t.test(`v${version} proxy: a stored batch of updates is delivered as it was transformed`, async (t) => {
    const mock = await withMock(t);
    const app = await testApp(t, deliveryEnv(mock.url));
    const [orders] = await router(t, app, '/routerTransform', [event(lifecycle(1, 'Order Completed'), 1), event(lifecycle(2, 'Order Completed'), 2)]);
    const [updates] = await router(t, app, '/routerTransform', [event(lifecycle(3, 'Order Refunded', 1), 3), event(lifecycle(4, 'cancelled', 2), 4)]);
    for (const item of [orders, updates]) {
      const res = await app.inject({
        method: 'POST',
        url: `/v${version}/destinations/ometria/proxy`,
        payload: proxyRequestBody(item as Json, version, { apiKey: 'key-1' }),
      });
      t.equal(res.statusCode, 200);
    }
    t.strictSame((await storedOrders(mock.url)).map((r) => [r.id, r.status, r.is_valid, r.grand_total]), [
      ['o-1', 'refunded', false, 10],
      ['o-2', 'cancelled', false, 10],
    ]);
  });
}
