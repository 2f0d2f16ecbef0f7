import t from 'tap';
import { testApp } from '../helpers/app.js';
import { badMessage, identifyMessage, orderMessage, routerBody } from '../helpers/envelopes.js';
import { sample } from '../helpers/prometheus.js';
import { deliveryEnv } from '../helpers/delivery.js';
import { withMock } from '../helpers/mock-client.js';

t.test('/metrics after traffic: requests, events by type and outcome, pushes, retries, attempt latency', async (t) => {
  const mock = await withMock(t, { faults: { failRate: 1 } });
  const app = await testApp(t, deliveryEnv(mock.url, { OMETRIA_MAX_ATTEMPTS: '4' }));
  await app.inject({ method: 'POST', url: '/routerTransform', payload: routerBody([identifyMessage(1), orderMessage(2), badMessage(3)]) });
  await app.inject({ method: 'POST', url: '/deliver', payload: routerBody([identifyMessage(1)]) });
  await fetch(`${mock.url}/_control/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
  await app.inject({ method: 'POST', url: '/deliver', payload: routerBody([identifyMessage(2)]) });
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/plain/);
  const text = res.body;
  t.equal(sample(text, 'http_request_duration_seconds_count{method="POST",route="/routerTransform",status_code="200"}'), 1);
  t.equal(sample(text, 'transformer_events_total{destination="OMETRIA",record_type="contact",outcome="ok"}'), 3);
  t.equal(sample(text, 'transformer_events_total{destination="OMETRIA",record_type="order",outcome="ok"}'), 1);
  t.equal(sample(text, 'transformer_events_total{destination="OMETRIA",record_type="none",outcome="instrumentation"}'), 1);
  t.equal(sample(text, 'delivery_pushes_total{destination="OMETRIA",outcome="delivered",status_code="202"}'), 1, 'the status Ometria answered');
  t.equal(sample(text, 'delivery_pushes_total{destination="OMETRIA",outcome="retryable",status_code="500"}'), 1);
  t.equal(sample(text, 'delivery_retries_total'), 3, 'four attempts are three retries');
  t.equal(sample(text, 'delivery_attempt_duration_seconds_count{outcome="500"}'), 4);
  t.equal(sample(text, 'delivery_attempt_duration_seconds_count{outcome="202"}'), 1);
  t.match(text, /process_resident_memory_bytes/, 'process metrics too');
});

