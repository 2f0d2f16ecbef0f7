import t, { type Test } from 'tap';
import { readFile } from 'node:fs/promises';
import { jsonBody, testApp } from './helpers/app.js';
import { deliveryEnv } from './helpers/delivery.js';
import { withMock } from './helpers/mock-client.js';

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

/** The README's heredoc request bodies (`--data @- <<'EOF'`), with the URL each is posted to, in order. */
function heredocs(readme: string): { url: string; body: unknown }[] {
  const found: { url: string; body: unknown }[] = [];
  for (const match of readme.matchAll(/curl -s -X POST '?localhost:9090([^ ']+)'? .*--data @- <<'EOF'\n([\s\S]*?)\nEOF\n/g)) {
    found.push({ url: match[1] as string, body: JSON.parse(match[2] as string) });
  }
  return found;
}

t.test("README's cancellation and partial refund, as the e-commerce spec sends them, are updates of the order", async (t) => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const examples = heredocs(readme);
  t.strictSame(examples.map((e) => e.url), ['/v0/destinations/ometria?explain=true', '/v0/destinations/ometria']);
  const app = await testApp(t);
  const answers: Json[] = [];
  for (const { url, body } of examples) {
    const res = await app.inject({ method: 'POST', url, payload: body as Json });
    t.equal(res.statusCode, 200);
    answers.push((res.json() as Json[])[0] as Json);
  }
  const [cancel, refund] = answers as [Json, Json];
  t.equal(cancel.statusCode, 200, cancel.error);
  t.strictSame(recordsOf(cancel), [{ '@type': 'order', id: '50314b8e9bcf000000000000', status: 'cancelled', is_valid: false }]);
  t.strictSame(cancel.warnings, ['order update: not sent: total, currency'], 'as the README shows');
  t.equal(refund.statusCode, 200, refund.error);
  t.strictSame(recordsOf(refund), [{ '@type': 'order', id: '50314b8e9bcf000000000000', status: 'partial_refund' }]);
  t.match(readme, /# record: \{"@type":"order","id":"50314b8e9bcf000000000000","status":"cancelled","is_valid":false\}/);
  t.match(readme, /# warnings: \["order update: not sent: total, currency"\]/);
  t.match(readme, /# record: \{"@type":"order","id":"50314b8e9bcf000000000000","status":"partial_refund"\}/);
});

t.test('examples/deliver.json then examples/deliver-refund.json through the mock: the order keeps its total, now partly refunded', async (t) => {
  const mock = await withMock(t);
  const app = await testApp(t, deliveryEnv(mock.url));
  for (const name of ['deliver.json', 'deliver-refund.json']) {
    const res = await app.inject({ method: 'POST', url: '/deliver', payload: (await example(name)) as Json });
    t.equal(res.statusCode, 200);
    const output = (res.json() as { output: Json[] }).output;
    t.strictSame(output.map((o) => o.statusCode), output.map(() => 200), `${name}: every event delivered`);
  }
  const res = await fetch(`${mock.url}/_records?type=order`);
  t.equal(res.status, 200);
  const { records } = (await res.json()) as { records: Json[] };
  t.strictSame(records.map((r) => ({ id: r.id, status: r.status, is_valid: r.is_valid, grand_total: r.grand_total })), [
    { id: 'docker-o-1', status: 'partial_refund', is_valid: true, grand_total: 42.5 },
  ]);
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  t.match(readme, /# \{"id":"docker-o-1","status":"partial_refund","is_valid":true,"grand_total":42\.5\}/, 'as the README shows');
});

t.test('examples/identify.json transforms; examples/router.json fails its third job on purpose', async (t) => {
  const [contact] = await processor(t, await example('identify.json'));
  t.equal(contact?.statusCode, 200, contact?.error);
  const app = await testApp(t);
  const res = await app.inject({ method: 'POST', url: '/routerTransform', payload: (await example('router.json')) as Json });
  const output = jsonBody<{ output: Json[] }>(res).output;
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
  const output = jsonBody<{ output: Json[] }>(res).output;
  t.strictSame(output.map((o) => o.statusCode), output.map(() => 200));
  t.strictSame(output.flatMap((o) => (o.metadata as Json[]).map((m) => m.jobId)).sort(), [1, 2, 3]);
});

t.test("examples/delete-users.json through the mock: the README's erasure, then its repeat answered at once", async (t) => {
  const mock = await withMock(t, { apiKeys: ['test-api-key'] });
  const app = await testApp(t, deliveryEnv(mock.url));
  const job = (await example('delete-users.json')) as Json[];
  const post = () => app.inject({ method: 'POST', url: '/deleteUsers', payload: job });
  const first = await post();
  t.equal(first.statusCode, 200);
  t.strictSame(first.json(), [{ statusCode: 200, status: 'successful' }]);
  const emails = (job[0]?.userAttributes as Json[]).map((person) => person.email as string);
  const seen = async (): Promise<Json> => (await (await fetch(`${mock.url}/_deletions`)).json()) as Json;
  const after = await seen();
  t.strictSame(after.accepted, Object.fromEntries(emails.map((email) => [email, 1])), 'one accepted request per person');
  const again = await post();
  t.strictSame([again.statusCode, again.json()], [200, [{ statusCode: 200, status: 'successful' }]], 'the repeat: 200');
  t.equal((await seen()).requests.length, (after.requests as Json[]).length, 'and nothing sent again');
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  t.match(readme, /curl -s -X POST localhost:9090\/deleteUsers -H 'Content-Type: application\/json' --data @examples\/delete-users\.json\n# \[\{"statusCode":200,"status":"successful"\}\]/, 'as the README shows');
  t.match(readme, /"accepted":\{"ada@example\.com":1,"Grace@Example\.com":1\}/, 'the mock as the README shows it');
  t.strictSame(emails, ['ada@example.com', 'Grace@Example.com']);
});
