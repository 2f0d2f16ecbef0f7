/**
 * Property tests of the processor transform (docs/RUDDERSTACK.md, "3. Processor transform";
 * docs/MAPPING.md, "Errors"; docs/DIFFERENCES.md, item 11):
 * for any items — realistic RudderStack events or junk — one output item per event, in order,
 * metadata echoed unchanged, 200 items carrying exactly one valid record, 4xx items a clear error.
 *
 * Seeds are fixed; a failure prints fast-check's report (seed, path, counterexample).
 */
import assert from 'node:assert/strict';
import t from 'tap';
import fc from 'fast-check';
import { runProcessor } from '../../src/core/transform/request-runs.js';
import type { EventInput } from '../../src/core/transform/event-input.js';
import { testApp } from '../helpers/app.js';
import { captureLogger, ometria } from '../helpers/transform.js';
import { destinationIds, processorItem, type ProcessorItem } from './arbitraries.js';
import {
  assertErrorItem,
  assertNoPollution,
  assertRecord,
  assertRestRequest,
  checkProperty,
  expectedApiKey,
  expectedRecordType,
  overTheWire,
  prototypeSnapshot,
  type Json,
} from './oracle.js';

const SEED_DIRECT = 20240301;
const SEED_INJECT = 20240302;
const SEED_COMPACTED = 20240303;

const before = prototypeSnapshot();

/** The processor contract for one request: `items` as the service saw them, `output` its answer. */
function assertProcessorOutput(items: readonly ProcessorItem[], output: unknown, explain: boolean): void {
  assert.ok(Array.isArray(output), 'output is an array');
  assert.equal(output.length, items.length, 'one output item per event');
  output.forEach((item: Json, i) => {
    const input = items[i] as ProcessorItem;
    const where = `item ${i}`;
    assert.deepEqual(item.metadata, input.metadata, `${where}: metadata echoed unchanged`);
    assert.ok(Number.isInteger(item.statusCode), `${where}: integer statusCode`);
    assert.ok(item.statusCode === 200 || (item.statusCode >= 400 && item.statusCode < 500), `${where}: status ${item.statusCode}, never 5xx`);
    if (explain) {
      assert.ok(Array.isArray(item.warnings), `${where}: warnings is an array`);
      assert.deepStrictEqual(item.warnings.filter((w: unknown) => typeof w !== 'string'), [], `${where}: warnings are strings`);
    } else {
      assert.equal(Object.hasOwn(item, 'warnings'), false, `${where}: no warnings key without explain`);
    }
    if (item.statusCode === 200) {
      assert.equal(item.error, undefined, `${where}: no error on 200`);
      assert.equal(item.statTags, undefined, `${where}: no statTags on 200`);
      assert.equal(item.output.userId, '', `${where}: output.userId is ""`);
      const records = assertRestRequest(item.output, expectedApiKey(input), where);
      assert.equal(records.length, 1, `${where}: exactly one record`);
      assertRecord(records[0], where);
      assert.equal(records[0]?.['@type'], expectedRecordType(input.message), `${where}: record type follows the message type`);
    } else {
      assert.equal(item.output, undefined, `${where}: no output on an error`);
      assertErrorItem(item, 'processor', input.metadata, where);
    }
  });
}

const request = fc.record({ items: fc.array(processorItem, { maxLength: 12 }), explain: fc.boolean() });

t.test(`processor, straight through runProcessor (seed ${SEED_DIRECT})`, async (t) => {
  await checkProperty(
    t,
    'every event answered once, in order, 200 with one valid record or a clear 4xx',
    fc.property(request, ({ items, explain }) => {
      const inputs = items as EventInput[];
      const output = runProcessor(ometria, inputs, { feature: 'processor', explain }, { log: captureLogger() });
      assertProcessorOutput(items, output, explain);
      output.forEach((item, i) => assert.equal(item.metadata, inputs[i]?.metadata, 'the very metadata object is echoed'));
    }),
    { seed: SEED_DIRECT, numRuns: 300 },
  );
});

t.test(`processor over HTTP equals the pipeline on what the wire delivers (seed ${SEED_INJECT})`, async (t) => {
  const app = await testApp(t);
  await checkProperty(
    t,
    'HTTP 200 with apiVersion 2, the same items the pipeline gives',
    fc.asyncProperty(request, async ({ items, explain }) => {
      const res = await app.inject({
        method: 'POST',
        url: `/v0/destinations/ometria${explain ? '?explain=true' : ''}`,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        payload: JSON.stringify(items),
      });
      assert.equal(res.statusCode, 200, `HTTP status (body ${res.payload.slice(0, 300)})`);
      assert.equal(res.headers.apiversion, '2');
      const received = overTheWire(items);
      const output = res.json() as Json[];
      assertProcessorOutput(received, output, explain);
      output.forEach((item, i) => assert.equal(Object.hasOwn(item, 'metadata'), received[i]?.metadata !== undefined, 'metadata key iff sent'));
      const direct = runProcessor(ometria, received as EventInput[], { feature: 'processor', explain }, { log: captureLogger() });
      assert.deepEqual(output, overTheWire(direct), 'HTTP answer = pipeline answer');
    }),
    { seed: SEED_INJECT, numRuns: 150 },
  );
});

t.test(`processor, compacted form (seed ${SEED_COMPACTED})`, async (t) => {
  const app = await testApp(t);
  const compacted = fc.record({
    items: fc.array(processorItem, { maxLength: 10 }),
    destinations: fc.dictionary(fc.constantFrom(...destinationIds, 'dest-missing'), processorItem.map((i) => i.destination ?? {}), {
      maxKeys: 3,
      noNullPrototype: true,
    }),
  });
  await checkProperty(
    t,
    'each item takes destinations[metadata.destinationId]; unknown ids are a 400 for that event',
    fc.asyncProperty(compacted, async ({ items, destinations }) => {
      const input = items.map(({ message, metadata }) => ({ message, metadata }));
      const res = await app.inject({
        method: 'POST',
        url: '/v0/destinations/ometria',
        headers: { 'content-type': 'application/json', 'x-content-format': 'json+compactedv1' },
        payload: JSON.stringify({ input, destinations }),
      });
      assert.equal(res.statusCode, 200, `HTTP status (body ${res.payload.slice(0, 300)})`);
      const wire = overTheWire({ input, destinations });
      const received = (wire.input as Json[]).map((item) => {
        const id: unknown = item.metadata?.destinationId;
        const found = typeof id === 'string' && Object.hasOwn(wire.destinations, id);
        // docs/RUDDERSTACK.md, "3. Processor transform": an unresolvable compacted entry is named; here it is that event's 400.
        const missing = found ? {} : { destinationError: `no destination found for id ${String(id)}` };
        return { ...item, destination: found ? (wire.destinations as Json)[id] : undefined, ...missing };
      });
      const output = res.json() as Json[];
      assertProcessorOutput(received, output, false);
      const direct = runProcessor(ometria, received as EventInput[], { feature: 'processor', explain: false }, { log: captureLogger() });
      assert.deepEqual(output, overTheWire(direct), 'HTTP answer = pipeline answer');
      output.forEach((item, i) => {
        if (received[i]?.destination !== undefined) return;
        assert.notEqual(item.statusCode, 200, `item ${i}: no destination, no 200`);
        // Message and type checks come first (docs/MAPPING.md, "Errors"); otherwise the missing destination is named.
        assert.match(item.error as string, /^(no destination found for id |Message must be an object: |Event type is required: |message type )/);
      });
    }),
    { seed: SEED_COMPACTED, numRuns: 100 },
  );
});

t.test('no prototype was polluted by any run', async (t) => {
  assertNoPollution(t, before);
});
