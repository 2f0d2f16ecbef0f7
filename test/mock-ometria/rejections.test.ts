import t from 'tap';
import { loadMockOmetriaConfig, mockOptionsFromEnv } from '../../src/mock-ometria/env.js';
import { call, contact, customEvent, push, withMock } from '../helpers/mock-client.js';

type Json = Record<string, unknown>;
type Push = { status: string; request_id: string; accepted: number; rejected: number };
type Entry = { error_message: string; error_path: string; request_id: string; record_id?: string };

const AUTH = { 'x-ometria-auth': 'k' };
const errorsList = async (mock: Parameters<typeof call>[0], query = '') => call(mock, 'GET', `/v2/push/_errors${query}`, undefined, AUTH);

function order(id: string, email: string): Json {
  return { '@type': 'order', id, timestamp: '2024-05-01T10:00:00Z', grand_total: 10, currency: 'EUR', customer: { id: 'u1', email } };
}

const BY_ID = (id: string) => `Record rejected by the mock's rejection rule (id ${id})`;
const BY_EMAIL = "Record rejected by the mock's rejection rule (emailPattern)";

t.test('rules from the env reject chosen, otherwise valid records of every type', async (t) => {
  const env = loadMockOmetriaConfig({ MOCK_OMETRIA_REJECT_IDS: ' c2 ,, e2,o2 ', MOCK_OMETRIA_REJECT_EMAILS: '@blocked\\.example$' });
  const mock = await withMock(t, mockOptionsFromEnv(env));
  t.strictSame((await call(mock, 'GET', '/_control/rejections')).body, { ids: ['c2', 'e2', 'o2'], emailPattern: '@blocked\\.example$' });

  const cases: [string, Json[], [string, string, string][]][] = [
    [
      'contacts',
      [contact('c1'), contact('c2'), contact('c3', { email: 'zoe@blocked.example' }), contact('c4', { email: 'zoe@blocked.example.org' })],
      [
        ['c3', BY_EMAIL, 'root > email'],
        ['c2', BY_ID('c2'), 'root > id'],
      ],
    ],
    [
      'custom events',
      [customEvent('e1'), customEvent('e2'), { ...customEvent('e3'), identity_email: 'x@blocked.example' }],
      [
        ['e3', BY_EMAIL, 'root > identity_email'],
        ['e2', BY_ID('e2'), 'root > id'],
      ],
    ],
    [
      'orders',
      [order('o1', 'a@ok.example'), order('o2', 'a@ok.example'), order('o3', 'b@blocked.example')],
      [
        ['o3', BY_EMAIL, 'root > customer > email'],
        ['o2', BY_ID('o2'), 'root > id'],
      ],
    ],
    // Products carry no email; the id rule still applies to them.
    ['products', [{ '@type': 'product', id: 'p1' }, { '@type': 'product', id: 'c2' }], [['c2', BY_ID('c2'), 'root > id']]],
  ];
  for (const [name, records, expected] of cases) {
    const res = await push(mock, records);
    t.equal(res.status, 202, `${name}: the same status as any received push`);
    const body = res.body as Push;
    t.strictSame(body, { status: 'OK', request_id: body.request_id, accepted: records.length - expected.length, rejected: expected.length }, `${name}: counts`);
    const listed = (await errorsList(mock, `?request_id=${body.request_id}`)).body;
    t.strictSame(
      listed,
      expected.map(([id, message, path]) => ({ error_message: message, error_path: path, request_id: body.request_id, record_id: id })),
      `${name}: listed in _errors, newest first`,
    );
    t.notMatch(JSON.stringify(listed), /@|blocked/, `${name}: no email and no pattern in the errors`);
  }
  const ids = ((await call(mock, 'GET', '/_records')).body as { records: { id: string }[] }).records.map((r) => r.id);
  t.strictSame(ids, ['c1', 'c4', 'e1', 'o1', 'p1'], 'rejected records are not stored');
  t.match((await call(mock, 'GET', '/_stats')).body, { accepted: 5, rejected: 7, writes: { 'contact:c1': 1 } });
});

t.test("Ometria's own rules come first; a rule also rejects an update of a stored record", async (t) => {
  const mock = await withMock(t, { rejections: { ids: ['c1', 'c2'] } });
  const res = await push(mock, [contact('c2', { email: '' })]);
  t.match((await errorsList(mock, `?request_id=${(res.body as Push).request_id}`)).body, [
    { error_message: 'Payload invalid: email must be a non-empty string.', error_path: 'root > email', record_id: 'c2' },
  ]);
  t.equal((await call(mock, 'PUT', '/_control/rejections', {})).status, 200);
  t.match((await push(mock, [contact('c1')])).body, { accepted: 1 });
  await call(mock, 'DELETE', '/_control/rejections');
  t.match((await push(mock, [{ '@type': 'contact', id: 'c1', firstname: 'Ann' }])).body, { accepted: 0, rejected: 1 });
  t.strictSame((await call(mock, 'GET', '/_records')).body, { records: [contact('c1')], count: 1 });
});

t.test('control endpoint: GET, PUT replaces, DELETE goes back to the start-up rules', async (t) => {
  const mock = await withMock(t, { rejections: { emailPattern: '^start' } });
  const initial = { ids: [], emailPattern: '^start' };
  t.strictSame((await call(mock, 'GET', '/_control/rejections')).body, initial);

  const put = await call(mock, 'PUT', '/_control/rejections', { ids: ['c1', 'c1', 'c3'] });
  t.equal(put.status, 200);
  t.strictSame(put.body, { ids: ['c1', 'c3'] }, 'omitted rules are off; ids deduplicated');
  t.strictSame((await call(mock, 'GET', '/_control/rejections')).body, { ids: ['c1', 'c3'] });
  t.match((await push(mock, [contact('c1'), contact('c2'), contact('start', { email: 'start@x.example' })])).body, { accepted: 2, rejected: 1 });

  const patterned = await call(mock, 'PUT', '/_control/rejections', { emailPattern: '^(ann|bob)@' });
  t.strictSame(patterned.body, { ids: [], emailPattern: '^(ann|bob)@' });
  t.match((await push(mock, [contact('c1'), contact('c5', { email: 'bob@x.example' }), contact('c6', { email: 'rob@x.example' })])).body, {
    accepted: 2,
    rejected: 1,
  });

  const refusals: [string, unknown, string][] = [
    ['an unterminated group', { emailPattern: '(ann' }, 'body/emailPattern is not a valid regular expression: Invalid regular expression: /(ann/: Unterminated group'],
    ['a lone quantifier', { ids: ['x'], emailPattern: '*@x' }, 'body/emailPattern is not a valid regular expression: Invalid regular expression: /*@x/: Nothing to repeat'],
    ['an empty pattern', { emailPattern: '' }, 'body/emailPattern must NOT have fewer than 1 characters'],
    ['a pattern that is not a string', { emailPattern: 5 }, 'body/emailPattern must be string'],
    ['ids not a list', { ids: 'c1' }, 'body/ids must be array'],
    ['an empty id', { ids: ['c1', ''] }, 'body/ids/1 must NOT have fewer than 1 characters'],
    ['a misspelt rule', { emailpattern: 'x' }, 'body must NOT have additional properties: "emailpattern"'],
  ];
  for (const [name, body, message] of refusals) {
    const res = await call(mock, 'PUT', '/_control/rejections', body);
    t.equal(res.status, 400, `${name}: status`);
    t.strictSame(res.body, { status: 'ERROR', message }, `${name}: body`);
  }
  t.strictSame((await call(mock, 'GET', '/_control/rejections')).body, { ids: [], emailPattern: '^(ann|bob)@' }, 'a refused PUT changes nothing');

  const reset = await call(mock, 'DELETE', '/_control/rejections');
  t.equal(reset.status, 200);
  t.strictSame(reset.body, initial);
  t.strictSame((await call(mock, 'GET', '/_control/rejections')).body, initial);
  t.equal((await call(mock, 'DELETE', '/_records')).status, 204);
  t.strictSame((await call(mock, 'GET', '/_control/rejections')).body, initial, 'forgetting records keeps the rules');
});

t.test('unusable start-up rules are refused', async (t) => {
  await t.rejects(withMock(t, { rejections: { emailPattern: '[' } }), { name: 'RangeError', message: /^emailPattern is not a valid regular expression/ });
});

t.test('_errors?request_id= lists one push\'s errors, newest first', async (t) => {
  const mock = await withMock(t, { rejections: { ids: ['a2', 'a3', 'b1'] } });
  const first = (await push(mock, [contact('a1'), contact('a2'), contact('a3'), contact('a4', { email: '' })])).body as Push;
  const second = (await push(mock, [contact('b1'), contact('b2')])).body as Push;
  const clean = (await push(mock, [contact('b3')])).body as Push;

  const ofFirst = (await errorsList(mock, `?request_id=${first.request_id}`)).body as Entry[];
  t.strictSame(ofFirst.map((e) => e.record_id), ['a4', 'a3', 'a2']);
  t.strictSame(ofFirst.map((e) => e.request_id), [first.request_id, first.request_id, first.request_id], 'each names its push');
  t.strictSame(((await errorsList(mock, `?request_id=${second.request_id}`)).body as Entry[]).map((e) => e.record_id), ['b1']);
  t.strictSame((await errorsList(mock, `?request_id=${clean.request_id}`)).body, [], 'a push without errors lists none');
  t.strictSame((await errorsList(mock, '?request_id=00000000-0000-4000-8000-000000000000')).body, [], 'an unknown push lists none');
  t.strictSame(((await errorsList(mock)).body as Entry[]).map((e) => e.record_id), ['b1', 'a4', 'a3', 'a2'], 'without a query: every push');

  const refusals: [string, string, string][] = [
    ['not a uuid', '?request_id=abc', 'querystring/request_id must match format "uuid"'],
    ['given twice', `?request_id=${first.request_id}&request_id=${second.request_id}`, 'querystring/request_id must be string'],
    ['a misspelt parameter', `?requestId=${first.request_id}`, 'querystring must NOT have additional properties: "requestId"'],
  ];
  for (const [name, query, message] of refusals) {
    const res = await errorsList(mock, query);
    t.equal(res.status, 400, `${name}: status`);
    t.strictSame(res.body, { status: 'ERROR', message }, `${name}: body`);
  }
  const unauthenticated = await call(mock, 'GET', '/v2/push/_errors?request_id=abc');
  t.equal(unauthenticated.status, 403, 'the key is checked before the query');
});

t.test('_errors keeps the 100 most recent entries, newest first, also per request_id', async (t) => {
  const ids = Array.from({ length: 120 }, (_, i) => `r${i}`);
  const mock = await withMock(t, { rejections: { ids } });
  const pushes: Push[] = [];
  for (let batch = 0; batch < 2; batch++) {
    const res = await push(mock, ids.slice(batch * 60, batch * 60 + 60).map((id) => contact(id)));
    pushes.push(res.body as Push);
    t.match(res.body, { accepted: 0, rejected: 60 });
  }
  const all = (await errorsList(mock)).body as Entry[];
  t.equal(all.length, 100);
  t.strictSame(all.map((e) => e.record_id), ids.slice(20).reverse(), 'the 20 oldest are gone');
  const older = (await errorsList(mock, `?request_id=${pushes[0]?.request_id}`)).body as Entry[];
  t.strictSame(older.map((e) => e.record_id), ids.slice(20, 60).reverse(), "what is left of the older push's entries");
  t.equal(((await errorsList(mock, `?request_id=${pushes[1]?.request_id}`)).body as Entry[]).length, 60);
});
