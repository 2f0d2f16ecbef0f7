/** The echo baseline answers the least a transformer must: one batch of the service's shape. */
import t from 'tap';
import { DESTINATION } from '../../bench/destination.js';
import { buildEchoApp } from '../../bench/echo-app.js';
import { buildTemplate } from '../../bench/templates.js';
import { jsonBody } from '../helpers/app.js';

interface Body {
  input: { message: { type: string; messageId: string; context: { traits: { email: string } }; properties?: unknown }; metadata: unknown }[];
}

const template = buildTemplate(3);

for (const variant of ['compacted', 'plain'] as const) {
  t.test(`${variant}: one batch with every event's record and metadata, once, in order`, async (t) => {
    const app = buildEchoApp();
    t.teardown(() => app.close());
    const payload = template.render(variant, 12_345);
    const headers = { 'content-type': 'application/json; charset=utf-8', ...(variant === 'compacted' ? { 'x-content-format': 'json+compactedv1' } : {}) };
    const res = await app.inject({ method: 'POST', url: '/routerTransform', headers, payload });
    t.equal(res.statusCode, 200);
    t.equal(res.headers.apiversion, '2');
    t.match(res.headers['content-type'], /^application\/json/);
    const { input } = JSON.parse(payload) as Body;
    const { output } = res.json() as { output: Record<string, unknown>[] };
    t.equal(output.length, 1);
    const [batch] = output as [{ batchedRequest: { body: { JSON_ARRAY: { batch: string } } } }];
    const records = input.map(({ message }) => ({
      '@type': message.type === 'identify' ? 'contact' : 'custom_event',
      id: message.messageId,
      email: message.context.traits.email,
      properties: message.properties,
    }));
    t.same(output[0], {
      batchedRequest: {
        version: '1',
        type: 'REST',
        method: 'POST',
        endpoint: 'https://api.ometria.com/v2/push',
        headers: { 'X-Ometria-Auth': DESTINATION.Config.apiKey, 'Content-Type': 'application/json' },
        params: {},
        body: { JSON: {}, JSON_ARRAY: { batch: JSON.stringify(records) }, XML: {}, FORM: {} },
        files: {},
      },
      metadata: input.map((i) => i.metadata),
      batched: true,
      statusCode: 200,
      destination: DESTINATION,
    });
    t.equal(res.body, JSON.stringify({ output }), 'serialized with JSON.stringify');
    t.equal((JSON.parse(batch.batchedRequest.body.JSON_ARRAY.batch) as unknown[]).length, 100);
  });
}

t.test('the echo reads bodies as the service does, and has a health probe', async (t) => {
  const app = buildEchoApp();
  t.teardown(() => app.close());
  const poisoned = await app.inject({
    method: 'POST',
    url: '/routerTransform',
    headers: { 'content-type': 'application/json' },
    payload: '{"input":[],"__proto__":{"x":1}}',
  });
  t.equal(poisoned.statusCode, 200, 'a __proto__ key is dropped, not a failure');
  t.same(poisoned.json(), { output: [] });
  const text = await app.inject({ method: 'POST', url: '/routerTransform', headers: { 'content-type': 'text/plain' }, payload: 'x' });
  t.equal(text.statusCode, 415);
  t.same(jsonBody(await app.inject({ url: '/health' })), { service: 'UP' });
});
