import t from 'tap';
import { FaultInjector, resolveFaults } from '../../src/mock-ometria/state/faults.js';
import { seededRandom } from '../../src/mock-ometria/state/random.js';
import { call, contact, push, statuses, withMock } from '../helpers/mock-client.js';
import { mulberry32 } from '../helpers/prng.js';

const DEFAULTS = { rateLimitPerSecond: 0, failRate: 0, throttleRate: 0, dropRate: 0, delayMs: 0, seed: 1 };

t.test("the mock's generator is a seeded, reproducible source of [0, 1)", async (t) => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const first = Array.from({ length: 1000 }, () => a());
  t.strictSame(Array.from({ length: 1000 }, () => b()), first, 'same seed, same numbers');
  t.strictSame(first.filter((n) => !(n >= 0 && n < 1)), [], 'all in [0, 1)');
  t.ok(new Set(first).size > 990, 'numbers vary');
  t.notSame(Array.from({ length: 10 }, seededRandom(43)), first.slice(0, 10), 'another seed, other numbers');
  // docs/MOCK-OMETRIA.md names the algorithm, so a test can predict the draws with its own copy.
  const reference = mulberry32(42);
  t.strictSame(first, Array.from({ length: 1000 }, () => reference()), 'mulberry32, as documented');
  const mean = first.reduce((s, n) => s + n, 0) / first.length;
  t.ok(mean > 0.45 && mean < 0.55, `roughly uniform (mean ${mean})`);
});

t.test('fault shares are slices of one draw per push', async (t) => {
  const injector = new FaultInjector(resolveFaults({ dropRate: 0.2, failRate: 0.3, throttleRate: 0.1, seed: 7 }));
  const random = mulberry32(7);
  const expected = Array.from({ length: 200 }, () => {
    const r = random();
    return r < 0.2 ? 'drop' : r < 0.5 ? 'fail' : r < 0.6 ? 'throttle' : 'none';
  });
  const got = Array.from({ length: 200 }, () => injector.draw());
  t.strictSame(got, expected);
  t.strictSame([...new Set(got)].sort(), ['drop', 'fail', 'none', 'throttle'], 'every decision occurs');
});

t.test('rate limit holds at N pushes per second per API key (fixed windows)', async (t) => {
  let now = 1_000_000;
  const mock = await withMock(t, { faults: { rateLimitPerSecond: 3, retryAfterSeconds: 1 }, clock: () => now });
  t.strictSame(await statuses(mock, 5, 'key-a'), [202, 202, 202, 429, 429]);
  const limited = await push(mock, [contact('x')], 'key-a');
  t.equal(limited.status, 429);
  t.strictSame(limited.body, { status: 'ERROR', message: 'Rate limit exceeded: at most 3 pushes per second' });
  t.equal(limited.headers.get('retry-after'), '1', 'Retry-After on rate-limit 429s too, when set');
  t.strictSame(await statuses(mock, 4, 'key-b'), [202, 202, 202, 429], 'another key has its own window');
  now += 999;
  t.strictSame(await statuses(mock, 1, 'key-a'), [429], 'still the same window');
  now += 1;
  t.strictSame(await statuses(mock, 4, 'key-a'), [202, 202, 202, 429], 'a new window opens after one second');
  t.equal((await push(mock, [contact('x')], null)).status, 403, 'an unauthenticated push is refused before the limit');
  t.strictSame((await call(mock, 'GET', '/_stats')).body, {
    pushes: 16,
    dropped: 0,
    responses: { '202': 9, '403': 1, '429': 6 },
    accepted: 9,
    rejected: 0,
    writes: { 'contact:c-0': 3, 'contact:c-1': 3, 'contact:c-2': 3 },
  });
});

t.test('rate limit on the real clock', async (t) => {
  const mock = await withMock(t, { faults: { rateLimitPerSecond: 2 } });
  const burst = await Promise.all(Array.from({ length: 5 }, () => push(mock, [contact('c1')])));
  t.strictSame(burst.map((a) => a.status).sort(), [202, 202, 429, 429, 429]);
  t.equal(burst.find((a) => a.status === 429)?.headers.get('retry-after'), null, 'no Retry-After unless configured');
  await new Promise((resolve) => setTimeout(resolve, 1050));
  t.strictSame(await statuses(mock, 3), [202, 202, 429]);
});

t.test('failRate 1 answers every push 500 and stores nothing', async (t) => {
  const mock = await withMock(t, { faults: { failRate: 1 } });
  t.strictSame(await statuses(mock, 5), [500, 500, 500, 500, 500]);
  const res = await push(mock, [contact('c1')]);
  t.strictSame(res.body, { status: 'ERROR', message: 'Injected failure (failRate)' });
  t.equal((await push(mock, 'not even json', null)).status, 500, 'injected before auth and body checks');
  // Faults never touch the inspection and control routes.
  t.strictSame((await call(mock, 'GET', '/_records')).body, { records: [], count: 0 });
  t.strictSame((await call(mock, 'GET', '/v2/push/_errors', undefined, { 'x-ometria-auth': 'k' })).body, []);
  t.match((await call(mock, 'GET', '/_stats')).body, { pushes: 7, responses: { '500': 7 }, accepted: 0, writes: {} });
});

t.test('throttleRate 1 answers 429, with Retry-After when set', async (t) => {
  const mock = await withMock(t, { faults: { throttleRate: 1, retryAfterSeconds: 7 } });
  const res = await push(mock, [contact('c1')]);
  t.equal(res.status, 429);
  t.equal(res.headers.get('retry-after'), '7');
  t.strictSame(res.body, { status: 'ERROR', message: 'Too many requests (injected by throttleRate)' });
  t.strictSame(await statuses(mock, 3), [429, 429, 429]);

  await call(mock, 'PUT', '/_control/faults', { throttleRate: 1, retryAfterSeconds: 0 });
  t.equal((await push(mock, [contact('c1')])).headers.get('retry-after'), '0', 'Retry-After: 0 is a value');
  await call(mock, 'PUT', '/_control/faults', { throttleRate: 1 });
  const bare = await push(mock, [contact('c1')]);
  t.equal(bare.status, 429);
  t.equal(bare.headers.get('retry-after'), null, 'no header unless retryAfterSeconds is set');
});

t.test('dropRate 1 destroys the connection: the client sees a socket error', async (t) => {
  const mock = await withMock(t, { faults: { dropRate: 1 } });
  await t.rejects(push(mock, [contact('c1')]), { name: 'TypeError', cause: { code: 'UND_ERR_SOCKET' } });
  await t.rejects(push(mock, [contact('c2')]), { name: 'TypeError' });
  t.strictSame((await call(mock, 'GET', '/_stats')).body, {
    pushes: 2,
    dropped: 2,
    responses: {},
    accepted: 0,
    rejected: 0,
    writes: {},
  });
  t.strictSame((await call(mock, 'GET', '/_records')).body, { records: [], count: 0 });
});

t.test('delayMs adds measurable latency to pushes only', async (t) => {
  const mock = await withMock(t, { faults: { delayMs: 300 } });
  const timed = async (run: () => Promise<unknown>) => {
    const start = performance.now();
    await run();
    return performance.now() - start;
  };
  t.ok((await timed(() => push(mock, [contact('c1')]))) >= 290, 'a push waits');
  t.ok((await timed(() => push(mock, [contact('c1')], null))) >= 290, 'a refused push waits too');
  t.ok((await timed(() => call(mock, 'GET', '/_records'))) < 200, 'inspection routes do not');
  await call(mock, 'PUT', '/_control/faults', {});
  t.ok((await timed(() => push(mock, [contact('c1')]))) < 200, 'no delay once reset');
});

t.test('the same seed gives the same sequence of statuses', async (t) => {
  const faults = { failRate: 0.3, throttleRate: 0.3, seed: 12345 };
  const mock = await withMock(t, { faults });
  const first = await statuses(mock, 30);
  t.ok([200, 202, 429, 500].filter((s) => first.includes(s)).length === 3, `202, 429 and 500 all occur: ${first.join(' ')}`);

  // A restart from the same settings (PUT, DELETE back to start, or a new server) replays it.
  await call(mock, 'PUT', '/_control/faults', faults);
  t.strictSame(await statuses(mock, 30), first, 'after PUT with the same seed');
  await call(mock, 'DELETE', '/_control/faults');
  t.strictSame(await statuses(mock, 30), first, 'after DELETE back to the start settings');
  const other = await withMock(t, { faults });
  t.strictSame(await statuses(other, 30), first, 'on another server');

  await call(mock, 'PUT', '/_control/faults', { ...faults, seed: 54321 });
  t.notSame(await statuses(mock, 30), first, 'another seed, another sequence');
});

t.test('control endpoint round trip', async (t) => {
  const mock = await withMock(t, { faults: { delayMs: 5, seed: 3 } });
  const initial = { ...DEFAULTS, delayMs: 5, seed: 3 };
  t.strictSame((await call(mock, 'GET', '/_control/faults')).body, initial);

  const put = await call(mock, 'PUT', '/_control/faults', { failRate: 0.25, retryAfterSeconds: 2, rateLimitPerSecond: 8 });
  t.equal(put.status, 200);
  const replaced = { ...DEFAULTS, failRate: 0.25, retryAfterSeconds: 2, rateLimitPerSecond: 8 };
  t.strictSame(put.body, replaced, 'omitted settings are off: PUT replaces, it does not patch');
  t.strictSame((await call(mock, 'GET', '/_control/faults')).body, replaced);

  const refusals: [string, unknown, string][] = [
    ['a share over 1', { failRate: 2 }, 'body/failRate must be <= 1'],
    ['a misspelt setting', { failrate: 0.5 }, 'body must NOT have additional properties: "failrate"'],
    ['a string number', { delayMs: '10' }, 'body/delayMs must be integer'],
    ['shares adding up past 1', { failRate: 0.6, throttleRate: 0.5 }, 'Invalid fault settings: dropRate + failRate + throttleRate must not exceed 1 (they add up to 1.1)'],
  ];
  for (const [name, body, message] of refusals) {
    const res = await call(mock, 'PUT', '/_control/faults', body);
    t.equal(res.status, 400, `${name}: status`);
    t.strictSame(res.body, { status: 'ERROR', message }, `${name}: body`);
  }
  t.strictSame((await call(mock, 'GET', '/_control/faults')).body, replaced, 'a refused PUT changes nothing');

  const reset = await call(mock, 'DELETE', '/_control/faults');
  t.equal(reset.status, 200);
  t.strictSame(reset.body, initial, 'DELETE goes back to the start-up settings');
  t.strictSame((await call(mock, 'GET', '/_control/faults')).body, initial);
});

t.test('unusable start-up faults are refused', async (t) => {
  t.throws(() => resolveFaults({ dropRate: 0.5, failRate: 0.6 }), /must not exceed 1/);
  t.throws(() => resolveFaults({ delayMs: -1 }), /Invalid fault settings: \/delayMs/);
  await t.rejects(withMock(t, { faults: { throttleRate: 1.5 } }), RangeError);
});
