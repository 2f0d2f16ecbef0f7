import t from 'tap';
import { jsonBody, testApp } from '../helpers/app.js';

t.test('/ready: 200 {"status":"ready"} while serving; 503 {"status":"draining"} once the process drains; /health stays 200', async (t) => {
  let ready = true;
  const app = await testApp(t, {}, { ready: () => ready });
  const before = await app.inject({ method: 'GET', url: '/ready' });
  t.equal(before.statusCode, 200);
  t.strictSame(before.json(), { status: 'ready' });

  ready = false;
  const after = await app.inject({ method: 'GET', url: '/ready' });
  t.equal(after.statusCode, 503);
  t.strictSame(after.json(), { status: 'draining' });
  const health = await app.inject({ method: 'GET', url: '/health' });
  t.equal(health.statusCode, 200, 'liveness does not follow readiness');
});

t.test('/ready is always ready in an app built without the process (tests, the default)', async (t) => {
  const app = await testApp(t);
  t.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200);
});

t.test('/ready is a probe: not shed under pressure, and in the OpenAPI document', async (t) => {
  // A heap limit of 1 byte is exceeded from the first sample on.
  const app = await testApp(t, { SHED_MAX_HEAP_USED_BYTES: '1', SHED_MAX_EVENT_LOOP_DELAY_MS: '0', SHED_SAMPLE_INTERVAL_MS: '50' });
  let shed = 0;
  // Until the first sample says so (bounded: 10 s).
  for (let i = 0; i < 500 && shed !== 503; i++) {
    shed = (await app.inject({ method: 'POST', url: '/routerTransform', payload: { destType: 'ometria', input: [] } })).statusCode;
    if (shed !== 503) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  t.equal(shed, 503, 'work is shed');
  t.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200, '/ready still answers');
  const doc = jsonBody<{ paths: Record<string, unknown> }>(await app.inject({ method: 'GET', url: '/docs/json' }));
  t.ok('/ready' in doc.paths, 'documented');
});
