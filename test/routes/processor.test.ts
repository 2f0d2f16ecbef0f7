import t from 'tap';
import { DestinationRegistry } from '../../src/destinations/registry.js';
import { createOmetria } from '../../src/destinations/ometria/definition.js';
import { jsonBody, testApp } from '../helpers/app.js';
import {
  badMessage,
  customEventMessage,
  destination,
  identifyMessage,
  orderMessage,
  processorMetadata,
} from '../helpers/envelopes.js';

const CONFIG = { apiKey: 'key-1' };
const item = (message: unknown, jobId: number, config: Record<string, unknown> = CONFIG) => ({
  message,
  metadata: processorMetadata(jobId),
  destination: destination('dest-1', config),
  connection: { sourceId: 'src-1', destinationId: 'dest-1', enabled: true, config: {}, processorEnabled: true },
  libraries: null,
  credentials: null,
});

type Json = Record<string, any>;

/** The item with its batch string parsed, so records compare as values. */
function withParsedBatch(out: Json): Json {
  if (out.output === undefined) return out;
  const batch = JSON.parse(out.output.body.JSON_ARRAY.batch);
  return { ...out, output: { ...out.output, body: { ...out.output.body, JSON_ARRAY: { batch } } } };
}

t.test('mixed good and bad events: one item each, in input order, metadata echoed', async (t) => {
  const app = await testApp(t);
  const input = [item(identifyMessage(1), 1), item(badMessage(2), 2), item(customEventMessage(3), 3), item(orderMessage(4), 4)];
  const res = await app.inject({ method: 'POST', url: '/v0/destinations/ometria', payload: input });
  t.equal(res.statusCode, 200);
  t.equal(res.headers.apiversion, '2');
  const out = res.json() as Json[];
  t.equal(out.length, 4);
  t.strictSame(out.map((o) => o.statusCode), [200, 400, 200, 200]);
  out.forEach((o, i) => t.strictSame(o.metadata, input[i]?.metadata, `metadata ${i} echoed unchanged`));
  t.strictSame(withParsedBatch(out[0] as Json), {
    output: {
      version: '1',
      type: 'REST',
      method: 'POST',
      endpoint: 'https://api.ometria.com/v2/push',
      headers: { 'X-Ometria-Auth': 'key-1', 'Content-Type': 'application/json' },
      params: {},
      body: {
        JSON: {},
        JSON_ARRAY: { batch: [{ '@type': 'contact', id: 'L1', email: 'u1@example.com', customer_id: 'u-1' }] },
        XML: {},
        FORM: {},
      },
      files: {},
      userId: '',
    },
    metadata: processorMetadata(1),
    statusCode: 200,
  });
  t.strictSame(out[1], {
    metadata: processorMetadata(2),
    statusCode: 400,
    error: 'Missing required value from ["traits.email","context.traits.email","properties.email"]',
    statTags: {
      errorCategory: 'dataValidation',
      errorType: 'instrumentation',
      destType: 'OMETRIA',
      module: 'destination',
      implementation: 'native',
      feature: 'processor',
      destinationId: 'dest-1',
      workspaceId: 'ws-1',
    },
  });
  t.notOk('warnings' in (out[0] as Json), 'no warnings key without ?explain=true');
});

t.test('an empty array is 200 []', async (t) => {
  const app = await testApp(t);
  const res = await app.inject({ method: 'POST', url: '/v0/destinations/ometria', payload: [] });
  t.equal(res.statusCode, 200);
  t.equal(res.headers.apiversion, '2');
  t.strictSame(res.json(), []);
});

t.test('a single event without metadata (curl debugging) is transformed', async (t) => {
  const app = await testApp(t);
  const res = await app.inject({
    method: 'POST',
    url: '/v0/destinations/OMETRIA',
    payload: [{ message: identifyMessage(7), destination: { Config: { apiKey: 'k' } } }],
  });
  t.equal(res.statusCode, 200);
  const [only] = res.json() as Json[];
  t.equal(only?.statusCode, 200);
  t.notOk('metadata' in (only as Json));
  t.strictSame(JSON.parse(only?.output.body.JSON_ARRAY.batch), [
    { '@type': 'contact', id: 'L7', email: 'u7@example.com', customer_id: 'u-7' },
  ]);
});

t.test('a missing destination or Config is a per-event configuration error', async (t) => {
  const app = await testApp(t);
  const res = await app.inject({
    method: 'POST',
    url: '/v0/destinations/ometria',
    payload: [{ message: identifyMessage(1), metadata: processorMetadata(1) }, { message: identifyMessage(2), destination: {} }],
  });
  t.equal(res.statusCode, 200);
  const out = res.json() as Json[];
  t.strictSame(out.map((o) => [o.statusCode, o.error, o.statTags.errorType]), [
    [400, 'Missing destination: each event needs its destination (with Config)', 'configuration'],
    [400, 'Invalid Api Key: destination.Config.apiKey is missing', 'configuration'],
  ]);
});

t.test('compacted processor payload gives the same items as the plain one', async (t) => {
  const app = await testApp(t);
  const messages = [identifyMessage(1), customEventMessage(2), badMessage(3), orderMessage(4)];
  const plain = messages.map((m, i) => item(m, i + 1));
  const compacted = {
    input: messages.map((message, i) => ({ message, metadata: processorMetadata(i + 1) })),
    destinations: { 'dest-1': destination('dest-1', CONFIG) },
    connections: { 'src-1:dest-1': { sourceId: 'src-1', destinationId: 'dest-1', enabled: true } },
  };
  const a = await app.inject({ method: 'POST', url: '/v0/destinations/ometria', payload: plain });
  const b = await app.inject({
    method: 'POST',
    url: '/v0/destinations/ometria',
    headers: { 'x-content-format': 'json+compactedv1' },
    payload: compacted,
  });
  t.equal(b.statusCode, 200);
  t.equal(b.headers.apiversion, '2');
  t.strictSame(jsonBody(b), jsonBody(a));
});

t.test('compacted payload with an unknown destination id fails that event only', async (t) => {
  const app = await testApp(t);
  const res = await app.inject({
    method: 'POST',
    url: '/v0/destinations/ometria',
    headers: { 'x-content-format': 'json+compactedv1' },
    payload: {
      input: [
        { message: identifyMessage(1), metadata: processorMetadata(1, 'dest-1') },
        { message: identifyMessage(2), metadata: processorMetadata(2, 'dest-gone') },
      ],
      destinations: { 'dest-1': destination('dest-1', CONFIG) },
    },
  });
  const out = jsonBody<Json[]>(res);
  t.strictSame(out.map((o) => o.statusCode), [200, 400]);
  t.equal(out[1]?.error, 'no destination found for id dest-gone');
});

t.test('unknown destination is 404 before the body is judged', async (t) => {
  const app = await testApp(t);
  for (const payload of [[item(identifyMessage(1), 1)], { not: 'valid' }]) {
    const res = await app.inject({ method: 'POST', url: '/v0/destinations/foo', payload });
    t.equal(res.statusCode, 404);
    t.strictSame(res.json(), { error: 'Unknown destination: foo' });
    t.notOk(res.headers.apiversion, 'no apiVersion on errors');
  }
});

t.test('?explain=true adds warnings to every item', async (t) => {
  const app = await testApp(t);
  const res = await app.inject({
    method: 'POST',
    url: '/v0/destinations/ometria?explain=true',
    payload: [item(identifyMessage(1, { phone: 'not a phone', gender: 'x' }), 1), item(badMessage(2), 2)],
  });
  const out = jsonBody<Json[]>(res);
  t.strictSame(out[0]?.warnings, [
    'traits.phone: not a valid phone number; dropped',
    'traits.gender: not one of f, female, m, male, o, other, others; dropped',
  ]);
  t.strictSame(out[1]?.warnings, []);
});

t.test('a bug in a destination is a 500 item with transformation tags and no internals', async (t) => {
  const broken = createOmetria({ apiUrl: 'https://api.ometria.com' });
  const registry = new DestinationRegistry([
    {
      ...broken,
      handlers: {
        identify: () => {
          throw new TypeError('Cannot read properties of undefined (reading secret-detail)');
        },
      },
    },
  ]);
  const app = await testApp(t, {}, { registry });
  const res = await app.inject({ method: 'POST', url: '/v0/destinations/ometria', payload: [item(identifyMessage(1), 1)] });
  t.equal(res.statusCode, 200);
  const [only] = res.json() as Json[];
  t.equal(only?.statusCode, 500);
  t.notMatch(only?.error, /secret-detail|TypeError|at /, 'no internals in the response');
  t.strictSame(only?.statTags, {
    errorCategory: 'transformation',
    destType: 'OMETRIA',
    module: 'destination',
    implementation: 'native',
    feature: 'processor',
    destinationId: 'dest-1',
    workspaceId: 'ws-1',
  });
});

t.test('dynamic config: templates resolve per event only when hasDynamicConfig is not false', async (t) => {
  const app = await testApp(t);
  const template = '{{ message.context.ometriaKey || "fallback-key" }}';
  const dynamic = (message: unknown, jobId: number, flag: boolean) => ({
    message,
    metadata: processorMetadata(jobId),
    destination: destination('dest-1', { apiKey: template }, { hasDynamicConfig: flag }),
  });
  const withKey = { ...identifyMessage(1), context: { ometriaKey: 'key-from-event' } };
  const res = await app.inject({
    method: 'POST',
    url: '/v0/destinations/ometria',
    payload: [dynamic(withKey, 1, true), dynamic(identifyMessage(2), 2, true), dynamic(withKey, 3, false)],
  });
  const keys = jsonBody<Json[]>(res).map((o) => o.output.headers['X-Ometria-Auth']);
  t.strictSame(keys, ['key-from-event', 'fallback-key', template]);
});
