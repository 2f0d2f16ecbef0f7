import t from 'tap';
import { jsonBody, testApp } from '../helpers/app.js';
import { deliveryEnv, mixedEvents, mockStats, storedIds } from '../helpers/delivery.js';
import { withMock } from '../helpers/mock-client.js';
import { postProxy, proxyRequestBody } from '../helpers/proxy.js';

type Json = Record<string, any>;

/** RudderStack's reading of a proxy answer: each job's status (docs/RUDDERSTACK.md, "10. Delivery proxy"). */
function jobStatuses(version: 0 | 1, answer: { status: number; body: Json }, body: Json): Map<number, number> {
  if (version === 0) return new Map([[body.metadata.jobId as number, answer.status]]);
  return new Map((answer.body.output.response as Json[]).map((r) => [r.metadata.jobId as number, r.statusCode as number]));
}

const retryable = (status: number) => status === 429 || status >= 500;

for (const version of [0, 1] as const) {
  t.test(`v${version} proxy: 1,000 router events delivered through a mock failing 30% of pushes`, async (t) => {
    const mock = await withMock(t, { faults: { failRate: 0.15, throttleRate: 0.1, retryAfterSeconds: 0, dropRate: 0.05, seed: 11 + version } });
    const app = await testApp(t, deliveryEnv(mock.url, { OMETRIA_MAX_ATTEMPTS: '3' }));
    const { input, expected, invalid } = mixedEvents(1000);
    const routed = await app.inject({ method: 'POST', url: '/routerTransform', payload: { input, destType: 'ometria' } });
    const items = jsonBody<{ output: Json[] }>(routed).output;
    const batches = items.filter((i) => i.batched === true);
    t.strictSame(
      items.filter((i) => i.batched === false).flatMap((i) => i.metadata.map((m: Json) => m.jobId)).sort((a: number, b: number) => a - b),
      [...invalid].sort((a, b) => a - b),
      'the invalid events are the router errors',
    );
    // v0 carries one job per call, so RudderStack sends such jobs one batch each; v1 sends the batch.
    const outcome = new Map<number, number>();
    for (const item of batches) {
      const body = proxyRequestBody(item, version);
      let statuses = new Map<number, number>();
      for (let rsAttempt = 1; rsAttempt <= 6; rsAttempt++) {
        const answer = await postProxy(app, version, body);
        t.equal(answer.apiVersion, '2');
        statuses = jobStatuses(version, answer, body);
        if (![...statuses.values()].some(retryable)) break; // RudderStack retries only retryable jobs
      }
      for (const [jobId, status] of statuses) outcome.set(jobId, status);
    }
    const failures = [...outcome].filter(([, status]) => status !== 200);
    t.strictSame(failures, [], 'every job succeeded');
    for (const type of ['contact', 'custom_event', 'order'] as const) {
      t.strictSame(await storedIds(mock, type), [...expected[type]].sort(), `${type}: every id stored once`);
    }
    const stats = await mockStats(mock);
    t.ok((stats.responses['500'] ?? 0) + (stats.responses['429'] ?? 0) > 0, 'faults were hit');
  });
}

const ONE_CONTACT = JSON.stringify([{ '@type': 'contact', id: 'c-1', email: 'c1@example.com' }]);

function rawProxyBody(endpoint: string, batch: string, apiKey = 'key-1', version: 0 | 1 = 1): Json {
  const metadata = [{ jobId: 1, attemptNum: 0, userId: 'u', sourceId: 's', destinationId: 'dest-1', workspaceId: 'ws-1', secret: null, dontBatch: false }];
  return {
    type: 'REST',
    endpoint,
    method: 'POST',
    userId: '',
    headers: { 'X-Ometria-Auth': apiKey, 'Content-Type': 'application/json' },
    params: {},
    body: { JSON: {}, JSON_ARRAY: { batch }, XML: {}, FORM: {} },
    files: {},
    metadata: version === 1 ? metadata : metadata[0],
    destinationConfig: { apiKey },
  };
}

t.test('statuses per docs/RUDDERSTACK.md "10. Delivery proxy", with the Ometria-aware reading of the answer', async (t) => {
  const invalidRecord = JSON.stringify([{ '@type': 'contact', id: 'c-2' }]);
  const cases: [string, Json, string[] | undefined, string, number, string | undefined][] = [
    ['accepted', {}, undefined, ONE_CONTACT, 200, undefined],
    ['rejected records', {}, undefined, invalidRecord, 400, 'aborted'],
    ['key refused', {}, ['other-key'], ONE_CONTACT, 403, 'aborted'],
    ['throttled', { throttleRate: 1 }, undefined, ONE_CONTACT, 429, 'throttled'],
    ['failing', { failRate: 1 }, undefined, ONE_CONTACT, 500, 'retryable'],
    ['unreachable', { dropRate: 1 }, undefined, ONE_CONTACT, 500, 'retryable'],
  ];
  for (const [name, faults, apiKeys, batch, status, errorType] of cases) {
    const mock = await withMock(t, apiKeys === undefined ? { faults } : { faults, apiKeys });
    const app = await testApp(t, deliveryEnv(mock.url, { OMETRIA_MAX_ATTEMPTS: '2' }));
    const endpoint = `${mock.url}/v2/push`;
    const v0 = await postProxy(app, 0, rawProxyBody(endpoint, batch, 'key-1', 0));
    t.equal(v0.status, status, `${name}: v0 HTTP status is the job status`);
    t.equal(v0.apiVersion, '2');
    t.equal(v0.body.output.status, status === 200 ? 202 : status, `${name}: v0 output.status`);
    t.equal(v0.body.output.statTags?.errorType, errorType, `${name}: v0 errorType`);
    const v1 = await postProxy(app, 1, rawProxyBody(endpoint, batch));
    t.equal(v1.status, 200, `${name}: v1 is HTTP 200`);
    t.strictSame(
      (v1.body.output.response as Json[]).map((r) => [r.statusCode, r.metadata.jobId]),
      [[status, 1]],
      `${name}: v1 job status`,
    );
    t.equal(typeof v1.body.output.response[0].error, 'string', 'error is the JSON-encoded answer');
    if (errorType !== undefined) {
      t.match(v1.body.output.statTags, { errorCategory: 'network', errorType, feature: 'dataDelivery', destType: 'OMETRIA', destinationId: 'dest-1' });
    }
    t.notMatch(JSON.stringify([v0.body, v1.body]), /key-1/, `${name}: the API key never appears in the answer`);
  }
});

t.test('a proxy request to a host that is not Ometria is refused and nothing is sent', async (t) => {
  const mock = await withMock(t);
  const app = await testApp(t, deliveryEnv(mock.url));
  const otherPort = new URL(mock.url);
  otherPort.port = String(Number(otherPort.port) + 1);
  for (const endpoint of ['https://evil.example.com/v2/push', `${otherPort.origin}/v2/push`, 'not a url']) {
    for (const version of [0, 1] as const) {
      const answer = await postProxy(app, version, rawProxyBody(endpoint, ONE_CONTACT, 'key-1', version));
      t.equal(answer.status, 400, `v${version} ${endpoint}`);
      t.match(answer.body.output.message, /^Refusing to send to .*not a configured Ometria origin/);
    }
  }
  t.equal((await mockStats(mock)).pushes, 0, 'the mock received nothing');
  const extra = await testApp(t, deliveryEnv(mock.url, { OMETRIA_PROXY_ORIGINS: 'https://eu.ometria.example' }));
  const allowed = await postProxy(extra, 1, rawProxyBody(`${mock.url}/v2/push`, ONE_CONTACT));
  t.equal(allowed.body.output.response[0].statusCode, 200, 'the configured origin still works beside an extra one');
});

t.test('v1 proxy with metadata that is not an array is a clear 400', async (t) => {
  const mock = await withMock(t);
  const app = await testApp(t, deliveryEnv(mock.url));
  const body = rawProxyBody(`${mock.url}/v2/push`, ONE_CONTACT, 'key-1', 0);
  const res = await app.inject({ method: 'POST', url: '/v1/destinations/ometria/proxy', payload: body });
  t.equal(res.statusCode, 400);
  t.match(res.json().error, /metadata must be array/);
  const unknown = await app.inject({ method: 'POST', url: '/v1/destinations/nope/proxy', payload: body });
  t.equal(unknown.statusCode, 404);
  const { endpoint: _endpoint, ...noEndpoint } = body;
  const v0 = await app.inject({ method: 'POST', url: '/v0/destinations/ometria/proxy', payload: noEndpoint });
  t.equal(v0.statusCode, 400);
  t.match(v0.json().error, /must have required property 'endpoint'/);
});
