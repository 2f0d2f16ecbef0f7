/**
 * 10,000 events in one request (RudderStack sends 20 to 100): a 200 with every jobId accounted
 * for once, batches of at most 100, and done in reasonable time — the bound only catches
 * quadratic behaviour, it is no benchmark.
 */
import t, { type Test } from 'tap';
import { testApp } from '../helpers/app.js';
import { badMessage, customEventMessage, destination, identifyMessage, orderMessage, processorMetadata, routerMetadata } from '../helpers/envelopes.js';
import { assertHealthy, post, PROCESSOR, recordsOf, ROUTER, type Json } from './helpers.js';

const EVENTS = 10_000;
const BOUND_MS = 10_000;
const DESTINATIONS = [
  destination('dest-1', { apiKey: 'key-1' }),
  destination('dest-2', { apiKey: 'key-2' }),
  destination('dest-3', { apiKey: 'key-1', marketingOptin: 'NOT_SPECIFIED' }),
];

function messageFor(n: number): unknown {
  switch (n % 5) {
    case 0:
    case 1:
      return identifyMessage(n);
    case 2:
      return customEventMessage(n);
    case 3:
      return orderMessage(n);
    default:
      return n % 10 === 4 ? badMessage(n) : { type: 'page', name: 'Home' };
  }
}

const destinationOf = (n: number) => DESTINATIONS[n % 7 === 0 ? 2 : n % 3 === 0 ? 1 : 0] as Json;
const expectedErrors = Array.from({ length: EVENTS }, (_, n) => n).filter((n) => n % 5 === 4).length;

/** Every jobId once, batches ≤ 100 of one type and destination, records in metadata order. */
function assertAccounted(t: Test, output: Json[]): void {
  const seen = output.flatMap((o) => (o.metadata as Json[]).map((m) => m.jobId as number));
  t.equal(seen.length, EVENTS, 'as many jobIds out as in');
  t.equal(new Set(seen).size, EVENTS, 'every jobId exactly once');
  t.strictSame(seen.filter((id) => !(Number.isInteger(id) && id >= 1 && id <= EVENTS)), [], 'no invented jobId');
  t.strictSame(output.filter((o) => (o.metadata as Json[]).length === 0), [], 'no empty metadata array');
  const batches = output.filter((o) => o.batched === true);
  const errors = output.filter((o) => o.batched !== true);
  t.equal(errors.length, expectedErrors, 'one error item per bad event');
  t.strictSame(
    errors.map((o) => ({ statusCode: o.statusCode, events: (o.metadata as Json[]).length })),
    errors.map(() => ({ statusCode: 400, events: 1 })),
    'errors are per-event 400s',
  );
  let worst = 0;
  let misordered = 0;
  let mixed = 0;
  for (const batch of batches) {
    const records = recordsOf(batch);
    const jobIds = (batch.metadata as Json[]).map((m) => m.jobId as number);
    worst = Math.max(worst, records.length);
    if (records.length !== jobIds.length || jobIds.some((id, i) => i > 0 && id < (jobIds[i - 1] as number))) misordered++;
    const ids = new Set(jobIds.map((id) => destinationOf(id - 1).ID as string));
    const types = new Set(records.map((r) => r['@type'] as string));
    if (ids.size !== 1 || types.size !== 1 || ids.has(batch.destination.ID) === false) mixed++;
  }
  t.ok(worst <= 100, `largest batch: ${worst} records`);
  t.equal(worst, 100, 'groups of this size fill whole batches');
  t.equal(misordered, 0, 'records in metadata order, one per metadata entry');
  t.equal(mixed, 0, 'no batch mixes destinations or record types');
}

t.test(`${EVENTS} events in one router request`, async (t) => {
  const app = await testApp(t);
  const input = Array.from({ length: EVENTS }, (_, n) => ({ message: messageFor(n), metadata: routerMetadata(n + 1, destinationOf(n).ID as string), destination: destinationOf(n) }));
  const body = JSON.stringify({ input, destType: 'ometria' });
  const started = Date.now();
  const res = await post(app, ROUTER, body);
  const ms = Date.now() - started;
  t.equal(res.statusCode, 200);
  t.equal(res.headers.apiversion, '2');
  t.ok(ms < BOUND_MS, `answered in ${ms} ms (bound ${BOUND_MS} ms)`);
  assertAccounted(t, (res.json() as { output: Json[] }).output);
  await assertHealthy(t, app);
});

t.test(`${EVENTS} events with ${EVENTS} different API keys: one batch each`, async (t) => {
  const app = await testApp(t);
  const input = Array.from({ length: EVENTS }, (_, n) => ({
    message: identifyMessage(n),
    metadata: routerMetadata(n + 1),
    destination: destination('dest-1', { apiKey: `key-${n}` }),
  }));
  const started = Date.now();
  const res = await post(app, ROUTER, JSON.stringify({ input, destType: 'ometria' }));
  const ms = Date.now() - started;
  t.equal(res.statusCode, 200);
  t.ok(ms < BOUND_MS, `answered in ${ms} ms (bound ${BOUND_MS} ms)`);
  const { output } = res.json() as { output: Json[] };
  t.equal(output.length, EVENTS, 'one batch per API key');
  t.strictSame(
    output.map((o) => ({ jobIds: (o.metadata as Json[]).map((m) => m.jobId as number), key: o.batchedRequest.headers['X-Ometria-Auth'] as string })),
    input.map((_, n) => ({ jobIds: [n + 1], key: `key-${n}` })),
    'each batch holds its own event under its own key',
  );
  await assertHealthy(t, app);
});

t.test(`${EVENTS} events in one compacted router request`, async (t) => {
  const app = await testApp(t);
  const input = Array.from({ length: EVENTS }, (_, n) => ({ message: messageFor(n), metadata: routerMetadata(n + 1, destinationOf(n).ID as string) }));
  const destinations = Object.fromEntries(DESTINATIONS.map((d) => [d.ID, d]));
  const started = Date.now();
  const res = await post(app, ROUTER, JSON.stringify({ input, destType: 'ometria', destinations, connections: {} }), {
    'content-type': 'application/json',
    'x-content-format': 'json+compactedv1',
  });
  const ms = Date.now() - started;
  t.equal(res.statusCode, 200);
  t.ok(ms < BOUND_MS, `answered in ${ms} ms (bound ${BOUND_MS} ms)`);
  assertAccounted(t, (res.json() as { output: Json[] }).output);
  await assertHealthy(t, app);
});

t.test(`${EVENTS} events in one processor request`, async (t) => {
  const app = await testApp(t);
  const body = Array.from({ length: EVENTS }, (_, n) => ({ message: messageFor(n), metadata: processorMetadata(n + 1, destinationOf(n).ID as string), destination: destinationOf(n) }));
  const started = Date.now();
  const res = await post(app, PROCESSOR, JSON.stringify(body));
  const ms = Date.now() - started;
  t.equal(res.statusCode, 200);
  t.ok(ms < BOUND_MS, `answered in ${ms} ms (bound ${BOUND_MS} ms)`);
  const items = res.json() as Json[];
  t.equal(items.length, EVENTS, 'one item per event');
  t.strictSame(
    items.map((item) => item.metadata.jobId as number),
    body.map((_, n) => n + 1),
    'in input order',
  );
  t.equal(items.filter((i) => i.statusCode === 400).length, expectedErrors);
  t.equal(items.filter((i) => i.statusCode === 200).length, EVENTS - expectedErrors);
  await assertHealthy(t, app);
});
