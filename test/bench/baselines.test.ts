/**
 * The bench's comparison servers must measure what they claim: the ceiling server answers exactly
 * what the service answers to the same body (only the transform is skipped), and the bench body
 * transforms without a per-event error, so the success path is what gets measured.
 */
import t from 'tap';
import { compactedRouterBody, routerBody } from '../../bench/body.js';
import { buildFloorApp } from '../../bench/floor-app.js';
import { loadConfig } from '../../src/config.js';
import { testApp } from '../helpers/app.js';

const EVENTS = 30;

t.test('the ceiling server answers the service\'s own answer, plain and compacted', async (t) => {
  const service = await testApp(t);
  const floor = await buildFloorApp(loadConfig({ LOG_LEVEL: 'silent' }), EVENTS);
  t.teardown(() => floor.close());
  for (const [name, payload] of [['plain', routerBody(EVENTS)], ['compacted', compactedRouterBody(EVENTS)]] as const) {
    const headers = { 'content-type': 'application/json' };
    const ours = await service.inject({ method: 'POST', url: '/routerTransform', headers, payload });
    const free = await floor.inject({ method: 'POST', url: '/floor', headers, payload });
    t.equal(free.statusCode, 200, `${name}: 200`);
    t.equal(free.headers.apiversion, '2', `${name}: apiVersion header, as the service sends it`);
    t.equal(free.body, ours.body, `${name}: the same bytes as the service's answer`);
    const { output } = ours.json() as { output: { statusCode: number; metadata: unknown[] }[] };
    t.ok(output.every((o) => o.statusCode === 200), `${name}: every event transformed`);
    t.equal(output.reduce((n, o) => n + o.metadata.length, 0), EVENTS, `${name}: every event accounted for`);
  }
});

t.test('the ceiling server still refuses a body that is not a router request', async (t) => {
  const floor = await buildFloorApp(loadConfig({ LOG_LEVEL: 'silent' }), EVENTS);
  t.teardown(() => floor.close());
  const res = await floor.inject({ method: 'POST', url: '/floor', payload: { destType: 'ometria' } });
  t.equal(res.statusCode, 400);
  t.match(res.json().error, /input/);
});
