/**
 * Determinism: the same request gives byte-identical answers, on the same app and on a fresh one
 * (RudderStack retries requests; a retry must produce the same batches and records).
 *
 * Seeds are fixed; a failure prints fast-check's report (seed, path, counterexample).
 */
import assert from 'node:assert/strict';
import t from 'tap';
import fc from 'fast-check';
import { testApp } from '../helpers/app.js';
import { processorItem, routerItems } from './arbitraries.js';
import { assertNoPollution, checkProperty, prototypeSnapshot } from './oracle.js';

const SEED = 20240321;
const before = prototypeSnapshot();

/** The parts of a response RudderStack reads: status, apiVersion, content type and the body bytes. */
function essentials(res: { statusCode: number; headers: Record<string, unknown>; rawPayload: Buffer }) {
  return {
    status: res.statusCode,
    apiVersion: res.headers.apiversion,
    contentType: res.headers['content-type'],
    body: res.rawPayload.toString('hex'),
  };
}

t.test(`the same request twice gives byte-identical responses (seed ${SEED})`, async (t) => {
  const first = await testApp(t);
  const second = await testApp(t);
  const request = fc.oneof(
    fc.record({ url: fc.constantFrom('/v0/destinations/ometria', '/v0/destinations/ometria?explain=true'), body: fc.array(processorItem, { maxLength: 8 }) }),
    fc.record({
      url: fc.constantFrom('/routerTransform', '/routerTransform?explain=true', '/batch'),
      body: routerItems({ minLength: 1, maxLength: 20 }).map((input) => ({ input, destType: 'ometria' })),
    }),
  );
  await checkProperty(
    t,
    'same app and a fresh app answer alike, byte for byte',
    fc.asyncProperty(request, async ({ url, body }) => {
      const payload = JSON.stringify(body);
      const send = (app: typeof first) => app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
      const a = essentials(await send(first));
      const b = essentials(await send(first));
      const c = essentials(await send(second));
      assert.equal(a.status, 200);
      assert.deepEqual(b, a, 'the same app answers the same bytes twice');
      assert.deepEqual(c, a, 'another app instance answers the same bytes');
    }),
    { seed: SEED, numRuns: 120 },
  );
});

t.test('no prototype was polluted by any run', async (t) => {
  assertNoPollution(t, before);
});
