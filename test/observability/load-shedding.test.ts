import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { testApp } from '../helpers/app.js';
import { identifyMessage, routerBody } from '../helpers/envelopes.js';
import { sample } from '../helpers/prometheus.js';

t.test('under pressure, work routes answer 503 with X-Rudder-Should-Retry; probes still answer', async (t) => {
  const app = await testApp(t, { SHED_MAX_HEAP_USED_BYTES: '1', SHED_MAX_EVENT_LOOP_DELAY_MS: '0', SHED_SAMPLE_INTERVAL_MS: '50' });
  await sleep(120);
  const res = await app.inject({ method: 'POST', url: '/routerTransform', payload: routerBody([identifyMessage(1)]) });
  t.equal(res.statusCode, 503);
  t.equal(res.headers['x-rudder-should-retry'], 'true');
  t.equal(res.headers['x-rudder-error-reason'], 'under_pressure_heapUsedBytes');
  t.strictSame(res.json(), { error: 'Service under pressure (heapUsedBytes); retry shortly' });
  const health = await app.inject({ method: 'GET', url: '/health' });
  t.equal(health.statusCode, 200, '/health is not shed');
  const metrics = await app.inject({ method: 'GET', url: '/metrics' });
  t.equal(sample(metrics.body, 'load_shed_total{reason="heapUsedBytes"}'), 1);
});
