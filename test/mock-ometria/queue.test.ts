import t from 'tap';
import { call, contact, push, withMock, type Answer } from '../helpers/mock-client.js';

const contacts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => contact(`${prefix}${i}`));
const room = (answer: Answer) => [answer.status, answer.headers.get('x-queuesize-limit'), answer.headers.get('x-queuesize-remaining')];
const stored = async (mock: Parameters<typeof call>[0]) => ((await call(mock, 'GET', '/_records')).body as { count: number }).count;

t.test('off by default: no queue headers, no queue 429', async (t) => {
  const mock = await withMock(t);
  for (let i = 0; i < 3; i++) t.strictSame(room(await push(mock, contacts(`c${i}-`, 100))), [202, null, null]);
  t.strictSame((await call(mock, 'GET', '/_control/queue')).body, { limit: 0, drainPerSecond: 0, waiting: 0 });
});

t.test('accepted records wait, time drains them, and a push that would not fit is a 429 storing nothing', async (t) => {
  let now = 5_000_000;
  const mock = await withMock(t, { queue: { limit: 10, drainPerSecond: 2 }, clock: () => now });
  t.strictSame(room(await push(mock, contacts('a', 3))), [202, '10', '7'], 'limit and the room left after this push');
  t.strictSame(room(await push(mock, contacts('b', 7))), [202, '10', '0'], 'exactly full is still accepted');

  const full = await push(mock, contacts('c', 1));
  t.strictSame(room(full), [429, '10', '0']);
  t.strictSame(full.body, { status: 'ERROR', message: 'Push queue is full: 1 records would not fit (0 of 10 free)' });
  t.equal(full.headers.get('retry-after'), null, 'no Retry-After unless the fault settings have one');
  t.equal(await stored(mock), 10, 'nothing of the refused push is stored');

  now += 499;
  t.strictSame(room(await push(mock, contacts('d', 1))), [429, '10', '0'], 'a record drained by 99.8% still waits');
  now += 1;
  t.strictSame(room(await push(mock, contacts('d', 1))), [202, '10', '0'], 'half a second drains one record at 2/s');
  now += 1_000;
  t.strictSame((await call(mock, 'GET', '/_control/queue')).body, { limit: 10, drainPerSecond: 2, waiting: 8 });
  now += 250;
  t.strictSame(room(await push(mock, contacts('e', 2))), [202, '10', '0'], 'a part-drained record counts whole: 8 waiting, room 2');
  now += 60_000;
  t.strictSame(room(await push(mock, contacts('f', 4))), [202, '10', '6'], 'a long pause empties the queue, never below 0');
  t.strictSame((await call(mock, 'GET', '/_stats')).body, {
    pushes: 7,
    dropped: 0,
    responses: { '202': 5, '429': 2 },
    accepted: 17,
    rejected: 0,
    writes: Object.fromEntries(
      ['a0', 'a1', 'a2', 'b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'd0', 'e0', 'e1', 'f0', 'f1', 'f2', 'f3'].map((id) => [`contact:${id}`, 1]),
    ),
  });
});

t.test('only accepted records wait; a refused push lists no errors', async (t) => {
  let now = 0;
  const mock = await withMock(t, { queue: { limit: 5, drainPerSecond: 0 }, clock: () => now, rejections: { ids: ['r1'] } });
  const mixed = await push(mock, [contact('k1'), contact('k2', { email: '' }), contact('r1'), contact('k3')]);
  t.strictSame(room(mixed), [202, '5', '3'], 'two accepted, two rejected: two wait');
  t.match(mixed.body, { accepted: 2, rejected: 2 });
  const errorsBefore = (await call(mock, 'GET', '/v2/push/_errors', undefined, { 'x-ometria-auth': 'k' })).body as unknown[];

  const refused = await push(mock, [...contacts('m', 4), contact('r1')]);
  t.strictSame(room(refused), [429, '5', '3'], 'four accepted would not fit in three');
  t.strictSame((await call(mock, 'GET', '/v2/push/_errors', undefined, { 'x-ometria-auth': 'k' })).body, errorsBefore, 'no error logged for it');
  t.strictSame(room(await push(mock, [contact('r1'), contact('x', { email: 5 })])), [202, '5', '3'], 'a push of rejected records only adds nothing');
  now += 3_600_000;
  t.strictSame(room(await push(mock, contacts('n', 3))), [202, '5', '0'], 'drainPerSecond 0: never drains');
  t.strictSame(room(await push(mock, contacts('o', 1))), [429, '5', '0']);
});

t.test('the queue 429 carries Retry-After when the fault settings have one; a push larger than the limit never fits', async (t) => {
  const mock = await withMock(t, { queue: { limit: 5 }, faults: { retryAfterSeconds: 3 }, clock: () => 0 });
  const tooBig = await push(mock, contacts('a', 6));
  t.strictSame(room(tooBig), [429, '5', '5']);
  t.equal(tooBig.headers.get('retry-after'), '3');
  t.strictSame(tooBig.body, { status: 'ERROR', message: 'Push queue is full: 6 records would not fit (5 of 5 free)' });
  t.equal(await stored(mock), 0);
});

t.test('drainPerSecond defaults to the limit per second', async (t) => {
  let now = 0;
  const mock = await withMock(t, { queue: { limit: 50 }, clock: () => now });
  t.strictSame((await call(mock, 'GET', '/_control/queue')).body, { limit: 50, drainPerSecond: 50, waiting: 0 });
  t.strictSame(room(await push(mock, contacts('a', 50))), [202, '50', '0']);
  now += 100;
  t.strictSame(room(await push(mock, contacts('b', 5))), [202, '50', '0'], '100 ms drains 5 records');
  now += 1_000;
  t.strictSame(room(await push(mock, contacts('c', 1))), [202, '50', '49'], 'a second empties it');
});

t.test('answers the queue never reached carry no queue headers', async (t) => {
  const mock = await withMock(t, { queue: { limit: 5 }, apiKeys: ['key-1'] });
  t.strictSame(room(await push(mock, contacts('a', 1), 'wrong')), [403, null, null]);
  t.strictSame(room(await push(mock, 'not json')), [400, null, null]);
  t.strictSame(room(await push(mock, contacts('a', 101))), [400, null, null]);
});

t.test('control endpoint: PUT replaces and empties the queue, DELETE goes back to the start-up settings', async (t) => {
  let now = 0;
  const mock = await withMock(t, { queue: { limit: 4, drainPerSecond: 1 }, clock: () => now });
  const initial = { limit: 4, drainPerSecond: 1, waiting: 0 };
  t.strictSame((await call(mock, 'GET', '/_control/queue')).body, initial);
  await push(mock, contacts('a', 3));
  t.strictSame((await call(mock, 'GET', '/_control/queue')).body, { ...initial, waiting: 3 });

  const put = await call(mock, 'PUT', '/_control/queue', { limit: 2 });
  t.equal(put.status, 200);
  t.strictSame(put.body, { limit: 2, drainPerSecond: 2, waiting: 0 }, 'drainPerSecond omitted: the limit per second; the queue starts empty');
  t.strictSame(room(await push(mock, contacts('b', 2))), [202, '2', '0']);
  t.strictSame((await call(mock, 'PUT', '/_control/queue', {})).body, { limit: 0, drainPerSecond: 0, waiting: 0 }, 'limit omitted: off');
  t.strictSame(room(await push(mock, contacts('c', 100))), [202, null, null]);

  const refusals: [string, unknown, string][] = [
    ['a negative limit', { limit: -1 }, 'body/limit must be >= 0'],
    ['a fractional limit', { limit: 2.5 }, 'body/limit must be integer'],
    ['a string limit', { limit: '5' }, 'body/limit must be integer'],
    ['a negative drain', { limit: 5, drainPerSecond: -2 }, 'body/drainPerSecond must be >= 0'],
    ['a misspelt setting', { size: 5 }, 'body must NOT have additional properties: "size"'],
  ];
  for (const [name, body, message] of refusals) {
    const res = await call(mock, 'PUT', '/_control/queue', body);
    t.equal(res.status, 400, `${name}: status`);
    t.strictSame(res.body, { status: 'ERROR', message }, `${name}: body`);
  }

  const reset = await call(mock, 'DELETE', '/_control/queue');
  t.equal(reset.status, 200);
  t.strictSame(reset.body, initial);
  await push(mock, contacts('d', 4));
  t.equal(((await call(mock, 'GET', '/_control/queue')).body as { waiting: number }).waiting, 4);
  t.equal((await call(mock, 'DELETE', '/_records')).status, 204);
  t.strictSame((await call(mock, 'GET', '/_control/queue')).body, initial, 'forgetting records empties the queue, keeps its settings');
  now -= 10_000;
  t.strictSame(room(await push(mock, contacts('e', 1))), [202, '4', '3'], 'a clock going backwards drains nothing and breaks nothing');
});

t.test('unusable start-up queue settings are refused', async (t) => {
  await t.rejects(withMock(t, { queue: { limit: -5 } }), { name: 'RangeError', message: 'Invalid queue settings: /limit: Expected integer to be greater or equal to 0' });
  await t.rejects(withMock(t, { queue: { limit: 5, drainPerSecond: 0.5 } }), { name: 'RangeError', message: /drainPerSecond/ });
});
