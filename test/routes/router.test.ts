import t, { type Test } from 'tap';
import { jsonBody, testApp } from '../helpers/app.js';
import {
  badMessage,
  customEventMessage,
  destination,
  identifyMessage,
  orderMessage,
  routerMetadata,
} from '../helpers/envelopes.js';

type Json = Record<string, any>;

const event = (message: unknown, jobId: number, config: Record<string, unknown> = { apiKey: 'key-1' }, destinationId = 'dest-1') => ({
  message,
  metadata: routerMetadata(jobId, destinationId),
  destination: destination(destinationId, config),
});

type Asserts = Pick<Test, 'equal' | 'strictSame' | 'ok'>;

const jobIdsOf = (item: Json): number[] => (item.metadata as Json[]).map((m) => m.jobId as number);
const recordsOf = (item: Json): Json[] => JSON.parse(item.batchedRequest.body.JSON_ARRAY.batch) as Json[];

/** docs/RUDDERSTACK.md, "4. Router transform and batch": every input jobId in exactly one item, no empty metadata arrays, none invented. */
function assertAccounted(t: Asserts, output: Json[], jobIds: number[]): void {
  const seen = output.flatMap(jobIdsOf);
  t.equal(seen.length, jobIds.length, 'as many jobIds out as in');
  t.strictSame([...seen].sort((a, b) => a - b), [...jobIds].sort((a, b) => a - b), 'every jobId exactly once');
  t.strictSame(output.filter((o) => (o.metadata as Json[]).length === 0), [], 'no empty metadata array');
}

t.test('mixed events: errors first, then one batch per type, records in metadata order', async (t) => {
  const app = await testApp(t);
  const input = [
    event(identifyMessage(1), 1),
    event(badMessage(2), 2),
    event(customEventMessage(3), 3),
    event(identifyMessage(4), 4),
    event({ type: 'page', name: 'Home' }, 5),
    event(orderMessage(6), 6),
  ];
  const res = await app.inject({ method: 'POST', url: '/routerTransform', payload: { input, destType: 'ometria' } });
  t.equal(res.statusCode, 200);
  t.equal(res.headers.apiversion, '2');
  const { output } = res.json() as { output: Json[] };
  assertAccounted(t, output, [1, 2, 3, 4, 5, 6]);
  t.strictSame(output.map((o) => [o.statusCode, o.batched, jobIdsOf(o)]), [
    [400, false, [2]],
    [400, false, [5]],
    [200, true, [1, 4]],
    [200, true, [3]],
    [200, true, [6]],
  ]);
  t.strictSame(output[0], {
    metadata: [routerMetadata(2)],
    batched: false,
    statusCode: 400,
    error: 'Missing required value from ["traits.email","context.traits.email","properties.email"]',
    statTags: {
      errorCategory: 'dataValidation',
      errorType: 'instrumentation',
      destType: 'OMETRIA',
      module: 'destination',
      implementation: 'native',
      feature: 'router',
      destinationId: 'dest-1',
      workspaceId: 'ws-1',
    },
    destination: destination('dest-1', { apiKey: 'key-1' }),
  });
  const contacts = output[2] as Json;
  t.strictSame(
    { ...contacts, batchedRequest: { ...contacts.batchedRequest, body: { ...contacts.batchedRequest.body, JSON_ARRAY: {} } } },
    {
      batchedRequest: {
        version: '1',
        type: 'REST',
        method: 'POST',
        endpoint: 'https://api.ometria.com/v2/push',
        headers: { 'X-Ometria-Auth': 'key-1', 'Content-Type': 'application/json' },
        params: {},
        body: { JSON: {}, JSON_ARRAY: {}, XML: {}, FORM: {} },
        files: {},
      },
      metadata: [routerMetadata(1), routerMetadata(4)],
      batched: true,
      statusCode: 200,
      destination: destination('dest-1', { apiKey: 'key-1' }),
    },
  );
  t.strictSame(recordsOf(contacts), [
    { '@type': 'contact', id: 'L1', email: 'u1@example.com', customer_id: 'u-1' },
    { '@type': 'contact', id: 'L4', email: 'u4@example.com', customer_id: 'u-4' },
  ]);
  t.notOk('userId' in contacts.batchedRequest, 'batchedRequest has no userId');
});

t.test('750 interleaved events: 3 batches per type (100, 100, 50), every jobId once', async (t) => {
  const app = await testApp(t);
  const makers = [identifyMessage, customEventMessage, orderMessage];
  const input = Array.from({ length: 750 }, (_, i) => event((makers[i % 3] as typeof identifyMessage)(i + 1), i + 1));
  const res = await app.inject({ method: 'POST', url: '/routerTransform', payload: { input, destType: 'ometria' } });
  const { output } = jsonBody(res) as { output: Json[] };
  assertAccounted(t, output, input.map((e) => e.metadata.jobId));
  t.equal(output.length, 9);
  t.strictSame(output.map((o) => recordsOf(o).length), [100, 100, 50, 100, 100, 50, 100, 100, 50]);
  for (const o of output) {
    const types = new Set(recordsOf(o).map((r) => r['@type']));
    t.equal(types.size, 1, 'one @type per batch');
    const ids = jobIdsOf(o);
    t.strictSame(ids, [...ids].sort((a, b) => a - b), 'input order within a batch');
    t.strictSame(
      recordsOf(o).map((r) => r.id),
      ids.map((id) => (id % 3 === 1 ? `L${id}` : id % 3 === 2 ? `m-${id}` : `o-${id}`)),
      'records follow metadata order',
    );
  }
});

t.test('250 events of one type: batches of 100, 100, 50', async (t) => {
  const app = await testApp(t);
  const input = Array.from({ length: 250 }, (_, i) => event(customEventMessage(i + 1), i + 1));
  const res = await app.inject({ method: 'POST', url: '/routerTransform', payload: { input, destType: 'ometria' } });
  const { output } = jsonBody(res) as { output: Json[] };
  assertAccounted(t, output, input.map((e) => e.metadata.jobId));
  t.strictSame(output.map(jobIdsOf).map((ids) => [ids[0], ids.length]), [[1, 100], [101, 100], [201, 50]]);
});

t.test('two destinations with different API keys never share a batch', async (t) => {
  const app = await testApp(t);
  const input = [
    event(identifyMessage(1), 1, { apiKey: 'key-a' }, 'dest-a'),
    event(identifyMessage(2), 2, { apiKey: 'key-b' }, 'dest-b'),
    event(identifyMessage(3), 3, { apiKey: 'key-a' }, 'dest-a'),
    event(identifyMessage(4), 4, { apiKey: 'key-a2' }, 'dest-a'),
    event(identifyMessage(5), 5, { apiKey: 'key-a' }, 'dest-b'),
  ];
  const res = await app.inject({ method: 'POST', url: '/routerTransform', payload: { input, destType: 'OMETRIA' } });
  const { output } = jsonBody(res) as { output: Json[] };
  assertAccounted(t, output, [1, 2, 3, 4, 5]);
  t.strictSame(
    output.map((o) => [o.destination.ID, o.batchedRequest.headers['X-Ometria-Auth'], jobIdsOf(o)]),
    [
      ['dest-a', 'key-a', [1, 3]],
      ['dest-b', 'key-b', [2]],
      ['dest-a', 'key-a2', [4]],
      ['dest-b', 'key-a', [5]],
    ],
  );
});

t.test('router rejects a missing or empty apiKey (docs/DIFFERENCES.md, item 10)', async (t) => {
  const app = await testApp(t);
  const input = [event(identifyMessage(1), 1, {}), event(identifyMessage(2), 2, { apiKey: '' }), event(identifyMessage(3), 3, { apiKey: 7 })];
  const res = await app.inject({ method: 'POST', url: '/routerTransform', payload: { input, destType: 'ometria' } });
  const { output } = jsonBody(res) as { output: Json[] };
  t.strictSame(output.map((o) => [o.statusCode, o.error, o.statTags.errorType]), [
    [400, 'Invalid Api Key: destination.Config.apiKey is missing', 'configuration'],
    [400, 'Invalid Api Key: destination.Config.apiKey is blank', 'configuration'],
    [400, 'Invalid Api Key: destination.Config.apiKey is a number', 'configuration'],
  ]);
});

t.test('compacted router payload: same output as the plain form', async (t) => {
  const app = await testApp(t);
  const messages = [identifyMessage(1), badMessage(2), customEventMessage(3), identifyMessage(4)];
  const plain = { input: messages.map((m, i) => event(m, i + 1)), destType: 'ometria' };
  const compacted = {
    input: messages.map((message, i) => ({ message, metadata: routerMetadata(i + 1) })),
    destType: 'ometria',
    destinations: { 'dest-1': destination('dest-1', { apiKey: 'key-1' }) },
    connections: { 'src-1:dest-1': { sourceId: 'src-1', destinationId: 'dest-1', enabled: true } },
  };
  const a = await app.inject({ method: 'POST', url: '/routerTransform', payload: plain });
  const b = await app.inject({
    method: 'POST',
    url: '/routerTransform',
    headers: { 'x-content-format': 'json+compactedv1' },
    payload: compacted,
  });
  t.equal(b.statusCode, 200);
  t.equal(b.headers.apiversion, '2');
  t.strictSame(jsonBody(b), jsonBody(a));
});

t.test('compacted router payload: interleaved destinations are grouped apart', async (t) => {
  const app = await testApp(t);
  const ids = ['dest-1', 'dest-2', 'dest-2', 'dest-1', 'dest-2'];
  const compacted = {
    input: ids.map((id, i) => ({ message: identifyMessage(i + 1), metadata: routerMetadata(i + 1, id) })),
    destType: 'ometria',
    destinations: {
      'dest-1': destination('dest-1', { apiKey: 'key-1' }),
      'dest-2': destination('dest-2', { apiKey: 'key-2' }),
    },
  };
  const res = await app.inject({ method: 'POST', url: '/routerTransform', payload: compacted });
  const { output } = jsonBody(res) as { output: Json[] };
  t.strictSame(
    output.map((o) => [o.destination.ID, o.batchedRequest.headers['X-Ometria-Auth'], jobIdsOf(o)]),
    [
      ['dest-1', 'key-1', [1, 4]],
      ['dest-2', 'key-2', [2, 3, 5]],
    ],
  );
});

t.test('dynamic config: grouped and echoed by the resolved config', async (t) => {
  const app = await testApp(t);
  const dyn = destination('dest-1', { apiKey: '{{ event.context.key || "default-key" }}' }, { hasDynamicConfig: true });
  const input = [1, 2, 3].map((n) => ({
    message: { ...identifyMessage(n), context: n === 2 ? {} : { key: `key-${n % 2}` } },
    metadata: routerMetadata(n),
    destination: dyn,
  }));
  const res = await app.inject({ method: 'POST', url: '/routerTransform', payload: { input, destType: 'ometria' } });
  const { output } = jsonBody(res) as { output: Json[] };
  t.strictSame(
    output.map((o) => [o.batchedRequest.headers['X-Ometria-Auth'], o.destination.Config.apiKey, jobIdsOf(o)]),
    [
      ['key-1', 'key-1', [1, 3]],
      ['default-key', 'default-key', [2]],
    ],
  );
});

t.test('an empty input is an empty output', async (t) => {
  const app = await testApp(t);
  const res = await app.inject({ method: 'POST', url: '/routerTransform', payload: { input: [], destType: 'ometria' } });
  t.equal(res.statusCode, 200);
  t.strictSame(res.json(), { output: [] });
});

t.test('unknown destType is 404; a missing one is a 400 naming it', async (t) => {
  const app = await testApp(t);
  const unknown = await app.inject({ method: 'POST', url: '/routerTransform', payload: { input: [], destType: 'foo' } });
  t.equal(unknown.statusCode, 404);
  t.strictSame(unknown.json(), { error: 'Unknown destination: foo' });
  const missing = await app.inject({ method: 'POST', url: '/routerTransform', payload: { input: [] } });
  t.equal(missing.statusCode, 400);
  t.match(missing.json().error, /destType/);
});

t.test('?explain=true: batch warnings prefixed with their jobId', async (t) => {
  const app = await testApp(t);
  const input = [event(identifyMessage(1, { gender: 'x' }), 1), event(identifyMessage(2, { phone: '12' }), 2)];
  const res = await app.inject({ method: 'POST', url: '/routerTransform?explain=true', payload: { input, destType: 'ometria' } });
  const { output } = jsonBody(res) as { output: Json[] };
  t.strictSame(output[0]?.warnings, [
    'job 1: traits.gender: not one of f, female, m, male, o, other, others; dropped',
    "job 2: traits.phone: a national number and the contact's country is unknown; dropped",
  ]);
});

t.test('/batch answers the router batches as a bare array', async (t) => {
  const app = await testApp(t);
  const input = [event(identifyMessage(1), 1), event(badMessage(2), 2), event(identifyMessage(3), 3)];
  const batch = await app.inject({ method: 'POST', url: '/batch', payload: { input, destType: 'ometria' } });
  const router = await app.inject({ method: 'POST', url: '/routerTransform', payload: { input, destType: 'ometria' } });
  t.equal(batch.statusCode, 200);
  t.equal(batch.headers.apiversion, '2');
  const items = batch.json() as Json[];
  t.ok(Array.isArray(items));
  const expected = jsonBody<{ output: Json[] }>(router).output.map((o) =>
    o.statTags === undefined ? o : { ...o, statTags: { ...o.statTags, feature: 'batch' } },
  );
  t.strictSame(items, expected);
});
