/**
 * The bench's comparison servers must measure what they claim: the ceiling server answers exactly
 * what the service answers to each template (only the transform is skipped), and the check run
 * before timing accepts the service's answers and rejects anything else.
 */
import t from 'tap';
import type { AddressInfo } from 'node:net';
import { buildEchoApp } from '../../bench/echo-app.js';
import { buildFloorApp } from '../../bench/floor-app.js';
import { buildTemplates } from '../../bench/templates.js';
import { checkTransforms } from '../../bench/transform-check.js';
import { loadConfig } from '../../src/config.js';
import { testApp } from '../helpers/app.js';

// A few templates keep the test fast; the ceiling picks one by counter % templates.
const templates = buildTemplates(3);
const headers = { 'content-type': 'application/json' };

t.test("the ceiling server answers the service's own answer to each template, plain and compacted", async (t) => {
  const service = await testApp(t);
  const floor = await buildFloorApp(loadConfig({ LOG_LEVEL: 'silent' }), templates);
  t.teardown(() => floor.close());
  for (const template of templates) {
    for (const variant of ['plain', 'compacted'] as const) {
      const name = `template ${template.index} ${variant}`;
      const payload = template.render(variant, template.index);
      const ours = await service.inject({ method: 'POST', url: '/routerTransform', headers, payload });
      const free = await floor.inject({ method: 'POST', url: '/floor', headers, payload });
      t.equal(free.statusCode, 200, `${name}: 200`);
      t.equal(free.headers.apiversion, '2', `${name}: apiVersion header, as the service sends it`);
      t.equal(free.body, ours.body, `${name}: the same bytes as the service's answer`);
      // Another request of the same template: the precomputed answer, the same size as the real one.
      const later = template.index + templates.length * 1000;
      const again = await floor.inject({ method: 'POST', url: '/floor', headers, payload: template.render(variant, later) });
      const real = await service.inject({ method: 'POST', url: '/routerTransform', headers, payload: template.render(variant, later) });
      t.equal(again.body, ours.body, `${name}: the template's answer for any of its counters`);
      t.equal(again.body.length, real.body.length, `${name}: as long as the real answer`);
    }
  }
});

t.test('the ceiling server still refuses a body that is not a router request, or not a bench body', async (t) => {
  const floor = await buildFloorApp(loadConfig({ LOG_LEVEL: 'silent' }), templates);
  t.teardown(() => floor.close());
  const res = await floor.inject({ method: 'POST', url: '/floor', payload: { destType: 'ometria' } });
  t.equal(res.statusCode, 400);
  t.match(res.json().error, /input/);
  const foreign = await floor.inject({ method: 'POST', url: '/floor', payload: { destType: 'ometria', input: [{ message: {}, metadata: {} }] } });
  t.equal(foreign.statusCode, 400);
  t.match(foreign.json().error, /not a bench body/);
});

async function listening(app: Awaited<ReturnType<typeof testApp>>): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

t.test('the check before timing passes on the service and names what is wrong otherwise', async (t) => {
  const service = await testApp(t);
  let counter = 500;
  const check = await checkTransforms(await listening(service), templates, () => [counter++, counter++]);
  t.equal(check.requests, templates.length * 2 * 2);
  t.equal(check.phoneWarnings, templates.reduce((n, tp) => n + tp.invalidPhones.length, 0) * 4, 'one warning per invalid phone');
  t.ok(check.answerBytes.compacted > 50_000 && check.answerBytes.plain > 50_000);

  // The echo answers every event in a batch but warns about nothing: not what was designed.
  const echo = buildEchoApp();
  t.teardown(() => echo.close());
  await t.rejects(checkTransforms(await listening(echo), templates.slice(0, 1), () => [1]), /not transform the bench bodies as designed[\s\S]*phone warnings for jobs \[\]/);
});
