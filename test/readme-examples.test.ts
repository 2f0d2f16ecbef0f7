import t, { type Test } from 'tap';
import { readFile } from 'node:fs/promises';
import { testApp } from './helpers/app.js';

type Json = Record<string, any>;

// The examples a new user runs from the README: each must do what the README says it does.
const example = async (name: string): Promise<unknown> => JSON.parse(await readFile(new URL(`../examples/${name}`, import.meta.url), 'utf8'));

const recordsOf = (item: Json): Json[] => JSON.parse(item.output.body.JSON_ARRAY.batch) as Json[];

async function processor(t: Test, payload: unknown): Promise<Json[]> {
  const app = await testApp(t);
  const res = await app.inject({ method: 'POST', url: '/v0/destinations/ometria', payload: payload as Json });
  t.equal(res.statusCode, 200);
  return res.json() as Json[];
}

t.test('examples/order-completed.json: the JS SDK e-commerce event works as sent', async (t) => {
  const [item] = await processor(t, await example('order-completed.json'));
  t.equal(item?.statusCode, 200, item?.error);
  t.strictSame(recordsOf(item as Json), [
    {
      '@type': 'order',
      status: 'complete',
      is_valid: true,
      id: '50314b8e9bcf000000000000',
      timestamp: '2024-03-05T09:15:02.311Z',
      grand_total: 27.5,
      currency: 'USD',
      subtotal: 22.5,
      discount: 2.5,
      shipping: 3,
      tax: 2,
      coupon_code: 'hasbros',
      ip_address: '81.2.69.160',
      customer: { id: 'u-1', email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace' },
      properties: { checkout_id: 'c-1', affiliation: 'Google Store', revenue: 25 },
      lineitems: [
        {
          product_id: '507f1f77bcf86cd799439011',
          quantity: 1,
          sku: '45790-32',
          unit_price: 19,
          properties: {
            name: 'Monopoly: 3rd Edition',
            category: 'Games',
            url: 'https://www.example.com/product/path',
            image_url: 'https://www.example.com/product/path.jpg',
          },
        },
        {
          product_id: '505bd76785ebb509fc183733',
          quantity: 1,
          sku: '46493-32',
          unit_price: 3.5,
          properties: { name: 'Uno Card Game', category: 'Games' },
        },
      ],
    },
  ]);
});

t.test("README's refund example is an order with status refunded that keeps its order date", async (t) => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const body = /--data @- <<'EOF'\n([\s\S]*?)\nEOF\n/.exec(readme)?.[1];
  t.ok(body, 'the README has the refund heredoc');
  const [item] = await processor(t, JSON.parse(body ?? '[]'));
  t.equal(item?.statusCode, 200, item?.error);
  t.strictSame(recordsOf(item as Json), [
    {
      '@type': 'order',
      status: 'refunded',
      is_valid: false,
      id: '50314b8e9bcf000000000000',
      timestamp: '2024-03-05T09:15:02.311Z',
      grand_total: 27.5,
      currency: 'USD',
      customer: { id: 'u-1', email: 'ada@example.com' },
    },
  ]);
});

t.test('examples/identify.json transforms; examples/router.json fails its third job on purpose', async (t) => {
  const [contact] = await processor(t, await example('identify.json'));
  t.equal(contact?.statusCode, 200, contact?.error);
  const app = await testApp(t);
  const res = await app.inject({ method: 'POST', url: '/routerTransform', payload: (await example('router.json')) as Json });
  const output = (res.json() as { output: Json[] }).output;
  t.strictSame(output.map((o) => [o.statusCode, (o.metadata as Json[]).map((m) => m.jobId)]), [
    [400, [3]],
    [200, [1]],
    [200, [2]],
  ]);
  t.equal(output[0]?.error, 'Missing required value from ["traits.email","context.traits.email","properties.email"]');
});

t.test('examples/deliver.json: every event transforms (the README delivers it whole)', async (t) => {
  const app = await testApp(t);
  const res = await app.inject({ method: 'POST', url: '/routerTransform', payload: (await example('deliver.json')) as Json });
  const output = (res.json() as { output: Json[] }).output;
  t.strictSame(output.map((o) => o.statusCode), output.map(() => 200));
  t.strictSame(output.flatMap((o) => (o.metadata as Json[]).map((m) => m.jobId)).sort(), [1, 2, 3]);
});
