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

/** An order event of order `o-<order>`; the event name decides its status. */
const lifecycle = (n: number, name: string, order = n) => ({ ...orderMessage(order), messageId: `m-${n}`, event: name });

const jobIdsOf = (item: Json): number[] => (item.metadata as Json[]).map((m) => m.jobId as number);
const recordsOf = (item: Json): Json[] => JSON.parse(item.batchedRequest.body.JSON_ARRAY.batch) as Json[];
const statusesOf = (item: Json) => recordsOf(item).map((r) => [r['@type'], r.id, r.status, r.is_valid]);

async function router(t: Test, app: FastifyInstance, url: '/routerTransform' | '/batch', input: unknown[]): Promise<Json[]> {
  const res = await app.inject({ method: 'POST', url, payload: { input, destType: 'ometria' } });
  t.equal(res.statusCode, 200);
  const body = res.json() as Json;
  return (url === '/batch' ? body : body.output) as Json[];
}

t.test('completed, cancelled and refunded orders of one destination travel in one order batch, in metadata order', async (t) => {
  const app = await testApp(t);
  const input = [event(lifecycle(1, 'Order Completed'), 1), event(lifecycle(2, 'Order Cancelled'), 2), event(lifecycle(3, 'refunded'), 3)];
  for (const url of ['/routerTransform', '/batch'] as const) {
    const output = await router(t, app, url, input);
    t.strictSame(output.map((o) => [o.statusCode, o.batched, jobIdsOf(o)]), [[200, true, [1, 2, 3]]], url);
    t.strictSame(statusesOf(output[0] as Json), [
      ['order', 'o-1', 'complete', true],
      ['order', 'o-2', 'cancelled', false],
      ['order', 'o-3', 'refunded', false],
    ], `${url}: records in metadata order`);
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

t.test('/deliver: a cancel re-pushes the order under its id and Ometria stops counting it', async (t) => {
  const mock = await withMock(t);
  const app = await testApp(t, deliveryEnv(mock.url));
  const deliver = async (input: unknown[]) => {
    const res = await app.inject({ method: 'POST', url: '/deliver', payload: { input, destType: 'ometria' } });
    return (res.json() as { output: Json[] }).output.map((e) => [e.metadata.jobId, e.statusCode]);
  };
  t.strictSame(await deliver([event(lifecycle(1, 'Order Completed', 7), 1)]), [[1, 200]]);
  t.strictSame(await deliver([event(lifecycle(2, 'Order Cancelled', 7), 2), event(lifecycle(3, 'Order Refunded', 8), 3)]), [
    [2, 200],
    [3, 200],
  ]);
  const stored = ((await (await fetch(`${mock.url}/_records?type=order`)).json()) as { records: Json[] }).records;
  t.strictSame(stored.map((r) => [r.id, r.status, r.is_valid]), [
    ['o-7', 'cancelled', false],
    ['o-8', 'refunded', false],
  ]);
});

for (const version of [0, 1] as const) {
  t.test(`v${version} proxy: a stored refund batch is delivered as it was transformed`, async (t) => {
    const mock = await withMock(t);
    const app = await testApp(t, deliveryEnv(mock.url));
    const [item] = await router(t, app, '/routerTransform', [event(lifecycle(1, 'Order Refunded'), 1), event(lifecycle(2, 'cancelled'), 2)]);
    const res = await app.inject({
      method: 'POST',
      url: `/v${version}/destinations/ometria/proxy`,
      payload: proxyRequestBody(item as Json, version, { apiKey: 'key-1' }),
    });
    t.equal(res.statusCode, 200);
    const stored = ((await (await fetch(`${mock.url}/_records?type=order`)).json()) as { records: Json[] }).records;
    t.strictSame(stored.map((r) => [r.id, r.status, r.is_valid]), [
      ['o-1', 'refunded', false],
      ['o-2', 'cancelled', false],
    ]);
  });
}
