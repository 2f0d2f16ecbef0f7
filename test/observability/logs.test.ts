import t from 'tap';
import { testApp, memoryLogger } from '../helpers/app.js';
import { deliveryEnv } from '../helpers/delivery.js';
import { badMessage, destination, identifyMessage, processorMetadata, routerMetadata } from '../helpers/envelopes.js';
import { withMock } from '../helpers/mock-client.js';
import { REDACT_PATHS } from '../../src/app/logger.js';

const SECRET = 'sk-live-9f8e7d6c5b4a';

t.test('one JSON line per request: route, status, duration, event count; X-Request-Id kept and echoed', async (t) => {
  const { logger, lines } = memoryLogger('info');
  const app = await testApp(t, {}, { logger });
  const res = await app.inject({
    method: 'POST',
    url: '/v0/destinations/ometria?explain=true',
    headers: { 'x-request-id': 'trace-abc-123' },
    payload: [1, 2, 3].map((n) => ({ message: identifyMessage(n), metadata: processorMetadata(n), destination: destination('d', { apiKey: SECRET }) })),
  });
  t.equal(res.headers['x-request-id'], 'trace-abc-123');
  const requestLines = lines.filter((l) => l.msg === 'request');
  t.equal(requestLines.length, 1);
  t.match(requestLines[0], {
    level: 30,
    reqId: 'trace-abc-123',
    method: 'POST',
    route: '/v0/destinations/:destination',
    status: 200,
    events: 3,
    durationMs: Number,
  });
  await app.inject({ method: 'GET', url: '/health' });
  t.equal(lines.filter((l) => l.msg === 'request').length, 1, 'probes log at debug, not info');
  const generated = await app.inject({ method: 'GET', url: '/version' });
  t.match(generated.headers['x-request-id'], /^[0-9a-f-]{36}$/, 'a UUID when none is given');
});

t.test('the API key never appears in the logs, on success and failure paths', async (t) => {
  const { logger, lines } = memoryLogger('trace');
  const mock = await withMock(t, { apiKeys: ['another-key'] });
  const okMock = await withMock(t);
  const app = await testApp(t, deliveryEnv(mock.url, { OMETRIA_MAX_ATTEMPTS: '2', OMETRIA_PROXY_ORIGINS: okMock.url }), { logger });
  const config = { apiKey: SECRET, marketingOptin: 'bogus' };
  const routerInput = [identifyMessage(1, { phone: 'bad' }), badMessage(2)].map((message, i) => ({
    message,
    metadata: routerMetadata(i + 1),
    destination: destination('d', config),
  }));
  await app.inject({ method: 'POST', url: '/routerTransform', payload: { destType: 'ometria', input: routerInput } });
  await app.inject({ method: 'POST', url: '/v0/destinations/ometria', payload: routerInput });
  await app.inject({ method: 'POST', url: '/deliver', payload: { destType: 'ometria', input: routerInput } });
  for (const origin of [mock.url, okMock.url, 'https://elsewhere.example']) {
    await app.inject({
      method: 'POST',
      url: '/v1/destinations/ometria/proxy',
      payload: {
        endpoint: `${origin}/v2/push`,
        headers: { 'X-Ometria-Auth': SECRET },
        body: { JSON: {}, JSON_ARRAY: { batch: '[{"@type":"contact","id":"c","email":"e@x.com"}]' }, XML: {}, FORM: {} },
        metadata: [{ jobId: 9 }],
        destinationConfig: { apiKey: SECRET },
      },
    });
  }
  await app.inject({ method: 'POST', url: '/v0/destinations/ometria', headers: { 'content-type': 'application/json' }, payload: `[{"destination":{"Config":{"apiKey":"${SECRET}"}}` });
  t.ok(lines.length > 10, `logged ${lines.length} lines`);
  t.ok(lines.some((l) => l.level === 40), 'warnings were logged');
  t.ok(lines.some((l) => l.msg === 'request' && l.status === 200), 'requests were logged');
  const leaked = lines.filter((l) => JSON.stringify(l).includes(SECRET));
  t.strictSame(leaked, [], 'no line holds the key');
});

t.test('redaction is the net under the rule: a logged config or header is censored', async (t) => {
  const { logger, lines } = memoryLogger('info');
  logger.info({ destination: { Config: { apiKey: SECRET } }, headers: { 'X-Ometria-Auth': SECRET }, req: { headers: { 'x-ometria-auth': SECRET } } }, 'x');
  t.notMatch(JSON.stringify(lines), new RegExp(SECRET), 'censored');
  t.ok(REDACT_PATHS.length > 0);
});

t.test('every event answered with an error is logged once at warn: jobId, destinationId, status, error; never the key or an email', async (t) => {
  const { logger, lines } = memoryLogger('info');
  const mock = await withMock(t, { rejections: { ids: ['L2'] } });
  const app = await testApp(t, deliveryEnv(mock.url), { logger });
  const input = [identifyMessage(1), badMessage(7), identifyMessage(2)].map((message, i) => ({
    message,
    metadata: routerMetadata([1, 7, 2][i] as number, 'dest-log'),
    destination: destination('dest-log', { apiKey: SECRET }),
  }));
  await app.inject({ method: 'POST', url: '/deliver', payload: { destType: 'ometria', input } });
  const failed = lines.filter((l) => l.level === 40 && (l.msg === 'event failed' || l.msg === 'event not delivered'));
  t.strictSame(
    failed.map((l) => [l.msg, l.jobId, l.destinationId, l.status]),
    [
      ['event failed', 7, 'dest-log', 400],
      ['event not delivered', 2, 'dest-log', 400],
    ],
    'one line per failed event',
  );
  t.equal(failed[0]?.error, 'Missing required value from ["traits.email","context.traits.email","properties.email"]');
  // What names the event for whoever reads the log: from the message (router metadata has no messageId).
  t.strictSame([failed[0]?.messageId, failed[0]?.type, failed[0]?.event], ['m-7', 'track', 'Signed Up']);
  t.match(failed[1]?.error, /^Ometria rejected this record \(request_id [0-9a-f-]{36}, \d+ accepted, 1 rejected\): Record rejected by the mock's rejection rule \(id L2\) \(at root > id\)$/);
  const text = JSON.stringify(failed);
  t.notMatch(text, new RegExp(SECRET), 'no API key');
  t.notMatch(text, /@example\.com/, 'no email');
});
