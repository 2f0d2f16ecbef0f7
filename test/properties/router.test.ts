/**
 * Property tests of the router transform (docs/RUDDERSTACK.md, sections 3–5), normal and
 * compacted forms: every input jobId in exactly one item, no empty metadata arrays, no invented
 * jobIds; batches of one `@type`, one destination and one API key, at most 100 records in
 * metadata order; the same outcome per event as the processor path.
 *
 * Seeds are fixed; a failure prints fast-check's report (seed, path, counterexample).
 */
import assert from 'node:assert/strict';
import t from 'tap';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { canonicalJson } from '../../src/core/transform/canonical-json.js';
import { runProcessor } from '../../src/core/transform/request-runs.js';
import type { EventInput } from '../../src/core/transform/event-input.js';
import { testApp } from '../helpers/app.js';
import { customEventMessage, destination as rsDestination, identifyMessage, orderMessage } from '../helpers/envelopes.js';
import { captureLogger, ometria } from '../helpers/transform.js';
import { destination, destinationIds, message, routerItems, type RouterItem } from './arbitraries.js';
import {
  assertErrorItem,
  assertNoPollution,
  assertRecord,
  assertRestRequest,
  checkProperty,
  expectedApiKey,
  overTheWire,
  prototypeSnapshot,
  type Json,
} from './oracle.js';

const SEED_NORMAL = 20240311;
const SEED_COMPACTED = 20240312;
const SEED_LARGE = 20240313;

const before = prototypeSnapshot();

/** What the runs reached, so a generator that stops producing a case is noticed. */
const reached = { multiRecordBatches: 0, errorItems: 0, templatedKeys: 0, fullBatches: 0, mixedDestinations: 0 };

interface Received {
  message: unknown;
  metadata: Json;
  destination: unknown;
  destinationError?: string;
}

/**
 * The router contract for one request. `received` are the items as the service saw them (after
 * the wire, destinations resolved for compacted requests).
 */
function assertRouterOutput(received: readonly Received[], body: unknown, feature = 'router'): void {
  assert.ok(typeof body === 'object' && body !== null && Array.isArray((body as Json).output), 'body is {output: [...]}');
  const output = (body as Json).output as Json[];
  const byJobId = new Map(received.map((item) => [item.metadata.jobId as number, item]));
  assert.equal(byJobId.size, received.length, 'test inputs have unique jobIds');

  // The same events through the processor: the oracle for each event's outcome and record.
  const processed = runProcessor(ometria, received as EventInput[], { feature: 'processor', explain: false }, { log: captureLogger() });
  const processorByJobId = new Map(received.map((item, i) => [item.metadata.jobId as number, processed[i] as Json]));

  // RS validation (docs/RUDDERSTACK.md, "4. Router transform and batch"): counts, empty metadata arrays, invented jobIds.
  const seen: number[] = [];
  for (const [index, item] of output.entries()) {
    assert.ok(Array.isArray(item.metadata), `item ${index}: metadata is an array`);
    assert.ok(item.metadata.length > 0, `item ${index}: metadata array is not empty`);
    for (const m of item.metadata as Json[]) {
      assert.ok(byJobId.has(m.jobId), `item ${index}: jobId ${m.jobId} was in the request`);
      seen.push(m.jobId as number);
      assert.deepEqual(m, byJobId.get(m.jobId)?.metadata, `item ${index}: metadata of job ${m.jobId} echoed unchanged`);
    }
  }
  assert.equal(seen.length, received.length, 'as many jobIds out as in');
  assert.equal(new Set(seen).size, received.length, 'every jobId exactly once');

  const batchKeys: string[] = [];
  const batchSizes = new Map<string, number[]>();
  for (const [index, item] of output.entries()) {
    const where = `item ${index}`;
    const events = (item.metadata as Json[]).map((m) => byJobId.get(m.jobId) as Received);
    if (item.batched === true) {
      assert.equal(item.statusCode, 200, `${where}: a batch is a 200`);
      assert.equal(item.error, undefined);
      const first = events[0] as Received;
      const apiKey = expectedApiKey(first);
      const records = assertRestRequest(item.batchedRequest, apiKey, where);
      assert.equal(Object.hasOwn(item.batchedRequest, 'userId'), false, `${where}: batchedRequest has no userId`);
      assert.equal(records.length, events.length, `${where}: one record per metadata entry`);
      assert.ok(records.length <= 100, `${where}: ${records.length} records, over 100`);
      const type = records[0]?.['@type'];
      const destinationId = canonicalJson((first.destination as Json).ID);
      const jobIds = events.map((e) => e.metadata.jobId as number);
      assert.deepEqual(jobIds, [...jobIds].sort((a, b) => a - b), `${where}: metadata in input order`);
      records.forEach((record, i) => {
        const event = events[i] as Received;
        assertRecord(record, `${where} record ${i}`);
        assert.equal(record['@type'], type, `${where}: batch mixes @types`);
        assert.equal(canonicalJson((event.destination as Json).ID), destinationId, `${where}: batch mixes destination IDs`);
        assert.equal(expectedApiKey(event), apiKey, `${where}: batch mixes API keys`);
        const alone = processorByJobId.get(event.metadata.jobId as number) as Json;
        assert.equal(alone.statusCode, 200, `${where}: job ${event.metadata.jobId} is a 200 on the processor path too`);
        assert.equal(`[${JSON.stringify(record)}]`, alone.output.body.JSON_ARRAY.batch, `${where}: record ${i} is job ${event.metadata.jobId}'s record`);
      });
      // The echoed destination is the batch's (resolved) destination: same ID, same API key.
      assert.equal(canonicalJson(item.destination?.ID), destinationId, `${where}: echoed destination ID`);
      assert.equal(item.destination?.Config?.apiKey, apiKey, `${where}: echoed destination carries the batch's API key`);
      if (records.length > 1) reached.multiRecordBatches++;
      if (records.length === 100) reached.fullBatches++;
      if (typeof (first.destination as Json).Config?.apiKey === 'string' && (first.destination as Json).Config.apiKey.includes('{{')) {
        reached.templatedKeys++;
      }
      const key = `${destinationId}\u0000${canonicalJson(item.destination?.Config)}\u0000${String(type)}`;
      if (!batchSizes.has(key)) batchKeys.push(key);
      batchSizes.set(key, [...(batchSizes.get(key) ?? []), records.length]);
    } else {
      assert.equal(item.batched, false, `${where}: batched is a boolean`);
      assert.equal(events.length, 1, `${where}: an error item covers one event`);
      const event = events[0] as Received;
      assertErrorItem(item, feature, event.metadata, where);
      const alone = processorByJobId.get(event.metadata.jobId as number) as Json;
      assert.equal(item.statusCode, alone.statusCode, `${where}: same status as the processor path`);
      assert.equal(item.error, alone.error, `${where}: same error as the processor path`);
      assert.equal(item.batchedRequest, undefined, `${where}: an error has no request`);
      reached.errorItems++;
    }
  }
  if (new Set(output.filter((o) => o.batched).map((o) => canonicalJson(o.destination?.ID))).size > 1) reached.mixedDestinations++;
  // Groups are cut into batches of 100, only the last one shorter (docs/RUDDERSTACK.md, "5. Batching rules").
  for (const key of batchKeys) {
    const sizes = batchSizes.get(key) as number[];
    sizes.slice(0, -1).forEach((size) => assert.equal(size, 100, 'only the last batch of a group is short'));
  }
  // Every processor 200 is in a batch, every processor 4xx an error item.
  const batchedJobs = output.filter((o) => o.batched === true).flatMap((o) => (o.metadata as Json[]).map((m) => m.jobId as number));
  const okJobs = received.filter((_, i) => processed[i]?.statusCode === 200).map((e) => e.metadata.jobId as number);
  assert.deepEqual([...batchedJobs].sort(), [...okJobs].sort(), 'the batched jobs are exactly the processor 200s');
}

async function post(app: FastifyInstance, body: unknown, headers: Record<string, string> = {}) {
  const res = await app.inject({
    method: 'POST',
    url: '/routerTransform',
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    payload: JSON.stringify(body),
  });
  assert.equal(res.statusCode, 200, `HTTP status (body ${res.payload.slice(0, 300)})`);
  assert.equal(res.headers.apiversion, '2');
  return res.json() as unknown;
}

t.test(`router, normal form (seed ${SEED_NORMAL})`, async (t) => {
  const app = await testApp(t);
  await checkProperty(
    t,
    'every jobId exactly once; batches of one type, destination and key, ≤ 100, in metadata order',
    fc.asyncProperty(routerItems({ minLength: 1, maxLength: 25 }), async (items) => {
      const body = await post(app, { input: items, destType: 'ometria' });
      assertRouterOutput(overTheWire(items) as Received[], body);
    }),
    { seed: SEED_NORMAL, numRuns: 200 },
  );
  t.ok(reached.multiRecordBatches > 50, `runs reached batches of several records (${reached.multiRecordBatches})`);
  t.ok(reached.errorItems > 50, `runs reached per-event errors (${reached.errorItems})`);
  t.ok(reached.templatedKeys > 5, `runs reached API keys from dynamic config (${reached.templatedKeys})`);
  t.ok(reached.mixedDestinations > 20, `runs reached requests batching several destinations (${reached.mixedDestinations})`);
});

t.test(`router, compacted form with a destinations map (seed ${SEED_COMPACTED})`, async (t) => {
  const app = await testApp(t);
  const compacted = fc.record({
    items: routerItems({ minLength: 1, maxLength: 25 }),
    // Some metadata.destinationId values have no entry: those events are 400s.
    destinations: fc.dictionary(fc.constantFrom(...destinationIds), destination, { maxKeys: 3, noNullPrototype: true }),
  });
  await checkProperty(
    t,
    'each event takes destinations[metadata.destinationId]; the same guarantees hold',
    fc.asyncProperty(compacted, async ({ items, destinations }) => {
      const input = items.map(({ message, metadata }) => ({ message, metadata }));
      const body = await post(app, { input, destType: 'ometria', destinations, connections: {} }, { 'x-content-format': 'json+compactedv1' });
      const wire = overTheWire({ input, destinations });
      const received = (wire.input as Json[]).map((item) => {
        const id = item.metadata.destinationId as string;
        const found = Object.hasOwn(wire.destinations, id);
        // docs/RUDDERSTACK.md, "3. Processor transform": an unresolvable compacted entry is named; here it is that event's 400.
        const missing = found ? {} : { destinationError: `no destination found for id ${id}` };
        return { ...item, destination: found ? (wire.destinations as Json)[id] : undefined, ...missing } as Received;
      });
      assertRouterOutput(received, body);
    }),
    { seed: SEED_COMPACTED, numRuns: 150 },
  );
});

t.test(`router, large requests: groups cut into batches of 100 (seed ${SEED_LARGE})`, async (t) => {
  const app = await testApp(t);
  // Mostly events that transform, over two destinations, so groups pass 100 and get cut.
  const good = fc.oneof(
    { weight: 4, arbitrary: fc.nat({ max: 1e6 }).map((n) => identifyMessage(n)) },
    { weight: 1, arbitrary: fc.nat({ max: 1e6 }).map((n) => customEventMessage(n)) },
    { weight: 1, arbitrary: fc.nat({ max: 1e6 }).map((n) => orderMessage(n)) },
  );
  const destinations = [rsDestination('dest-1', { apiKey: 'key-1' }), rsDestination('dest-2', { apiKey: 'key-2' })];
  // Four events in five go to dest-1.
  const which = fc.nat({ max: 4 }).map((n) => (n < 4 ? 0 : 1));
  const large = fc.array(fc.tuple(fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: message }), which), {
    minLength: 250,
    maxLength: 500,
  });
  await checkProperty(
    t,
    'full batches of 100 first, then the rest, every jobId once',
    fc.asyncProperty(large, async (rows) => {
      const items: RouterItem[] = rows.map(([msg, d], i) => ({
        message: msg,
        metadata: { jobId: 1 + i, destinationId: `dest-${d + 1}`, workspaceId: 'ws-1' },
        destination: destinations[d],
      }));
      const body = await post(app, { input: items, destType: 'ometria' });
      assertRouterOutput(overTheWire(items) as Received[], body);
      const sizes = ((body as Json).output as Json[]).filter((o) => o.batched).map((o) => o.metadata.length as number);
      assert.deepStrictEqual(sizes.filter((n) => n > 100), [], 'no batch over 100');
    }),
    { seed: SEED_LARGE, numRuns: 25 },
  );
  // The generator must reach the cut, or this property proves nothing.
  t.ok(reached.fullBatches > 10, `runs reached full batches of 100 (${reached.fullBatches})`);
});

t.test('/batch answers with the same items as a bare array', async (t) => {
  const app = await testApp(t);
  await checkProperty(
    t,
    'batch route: the router guarantees, feature "batch"',
    fc.asyncProperty(routerItems({ minLength: 1, maxLength: 15 }), async (items) => {
      const res = await app.inject({ method: 'POST', url: '/batch', payload: { input: items, destType: 'ometria' } });
      assert.equal(res.statusCode, 200);
      assertRouterOutput(overTheWire(items) as Received[], { output: res.json() }, 'batch');
    }),
    { seed: SEED_NORMAL + 100, numRuns: 60 },
  );
});

t.test('no prototype was polluted by any run', async (t) => {
  assertNoPollution(t, before);
});
