import t from 'tap';
import { request } from 'undici';
import { destination, identifyMessage, routerMetadata } from '../helpers/envelopes.js';
import { probe, startBuilt } from './built-server.js';

// The built service (npm run build) in child processes, on loopback ports. Each step waits for
// the log line that shows the state it checks; the only durations asserted are lower bounds.
// Starting takes many seconds on a loaded machine: this file's timeout allows for it.
t.setTimeout(300_000);

const BODY = JSON.stringify({
  destType: 'ometria',
  input: [{ message: identifyMessage(1), metadata: routerMetadata(1), destination: destination('d', { apiKey: 'k' }) }],
});

t.test('SIGTERM: /ready answers 503 at once while /health stays 200 and the port still serves, for SHUTDOWN_DELAY_MS', async (t) => {
  // A delay far longer than the test: nothing here can run out of it.
  // Load shedding off: a lagging event loop on a busy machine would answer the work 503.
  const server = await startBuilt({ SHUTDOWN_DELAY_MS: '600000', SHED_MAX_EVENT_LOOP_DELAY_MS: '0' });
  t.teardown(() => server.signal('SIGKILL'));
  t.equal(await probe(server.url, '/ready'), 200, 'ready before');

  server.signal('SIGTERM');
  const draining = await server.waitForLine((line) => typeof line.msg === 'string' && line.msg.startsWith('draining'), 'draining');
  t.equal(draining.delayMs, 600000);
  const ready = await request(`${server.url}/ready`, { reset: true });
  t.equal(ready.statusCode, 503, '/ready: draining');
  t.strictSame(await ready.body.json(), { status: 'draining' });
  t.equal(await probe(server.url, '/health'), 200, '/health: still alive, so nothing restarts it');

  // Work is still served (not refused, not 503), and the answer asks the client to reconnect,
  // which a Service's load balancing sends to another pod.
  const work = await request(`${server.url}/routerTransform`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
  t.equal(work.statusCode, 200);
  t.equal(work.headers.connection, 'close');
  await work.body.dump();
  t.notOk(server.lines().some((line) => line.msg === 'closing: finishing in-flight requests'), 'not closing yet');
});

t.test('SIGTERM with SHUTDOWN_DELAY_MS: the process serves out the delay, then drains and exits 0', async (t) => {
  const server = await startBuilt({ SHUTDOWN_DELAY_MS: '1500' });
  t.teardown(() => server.signal('SIGKILL'));
  const sent = Date.now();
  server.signal('SIGTERM');
  t.strictSame(await server.exited, { code: 0, signal: null }, 'exits 0', { tail: server.tail() });
  t.ok(Date.now() - sent >= 1500, `not before the delay (${Date.now() - sent} ms)`);
  const messages = server.lines().map((line) => line.msg);
  t.ok(messages.indexOf('closing: finishing in-flight requests') > messages.findIndex((m) => m?.startsWith('draining') === true), 'draining, then closing');
});

t.test('WORKERS=2: every worker serves out the delay; the primary waits for it (its backstop counts the delay)', async (t) => {
  // Without the delay in the primary's backstop it would exit 1 after SHUTDOWN_GRACE_MS + 2 s,
  // 3.5 s, before the workers' 4 s delay is over.
  const server = await startBuilt({ WORKERS: '2', SHUTDOWN_DELAY_MS: '4000', SHUTDOWN_GRACE_MS: '1500' });
  t.teardown(() => server.signal('SIGKILL'));
  await server.waitForLine(() => server.lines().filter((line) => line.msg === 'ready').length >= 2, 'ready from both workers');
  const sent = Date.now();
  server.signal('SIGTERM');
  t.strictSame(await server.exited, { code: 0, signal: null }, 'exits 0', { tail: server.tail() });
  t.ok(Date.now() - sent >= 4000, `not before the delay (${Date.now() - sent} ms)`);
  t.equal(server.lines().filter((line) => line.msg === 'closing: finishing in-flight requests').length, 2, 'both workers drained');
});
