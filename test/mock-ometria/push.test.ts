import t from 'tap';
import { errorPath } from '../../src/mock-ometria/rules/ometria-rules.js';
import { call, contact, customEvent, push, withMock } from '../helpers/mock-client.js';

// Ometria's per-record limit, "60 KB", written here rather than read from the service or the mock.
const MAX_RECORD_BYTES = 61_440;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

t.test('auth', async (t) => {
  t.test('a configured key list accepts only its keys; 403 never echoes the key', async (t) => {
    const mock = await withMock(t, { apiKeys: ['key-1', 'key-2'] });
    const missing = await push(mock, [contact('c1')], null);
    t.equal(missing.status, 403);
    t.strictSame(missing.body, { status: 'ERROR', message: 'Authentication failed: missing X-Ometria-Auth header' });

    const blank = await push(mock, [contact('c1')], '   ');
    t.equal(blank.status, 403, 'a blank key is a missing key');

    const wrong = await push(mock, [contact('c1')], 'secret-wrong-key');
    t.equal(wrong.status, 403);
    t.strictSame(wrong.body, { status: 'ERROR', message: 'Authentication failed: API key not accepted' });
    t.notMatch(JSON.stringify(wrong.body), 'secret-wrong-key');

    t.equal((await push(mock, [contact('c1')], 'key-2')).status, 202);
    t.strictSame((await call(mock, 'GET', '/_stats')).body, {
      pushes: 4,
      dropped: 0,
      responses: { '202': 1, '403': 3 },
      accepted: 1,
      rejected: 0,
      writes: { 'contact:c1': 1 },
    });
  });

  t.test('an empty key list accepts any non-empty key', async (t) => {
    const mock = await withMock(t);
    t.equal((await push(mock, [contact('c1')], 'anything')).status, 202);
    t.equal((await push(mock, [contact('c2')], 'something-else')).status, 202);
    t.equal((await push(mock, [contact('c3')], null)).status, 403);
  });

  t.test('a wrong key is refused before the body is judged', async (t) => {
    const mock = await withMock(t, { apiKeys: ['key-1'] });
    t.equal((await push(mock, 'not json', 'nope')).status, 403);
  });
});

t.test('whole-body checks answer 400 with a clear message', async (t) => {
  const mock = await withMock(t);
  const cases: [string, string | unknown, string][] = [
    ['not JSON', '{"@type": ', 'Body is not valid JSON: '],
    ['empty body', '', 'Body is empty: send a JSON array of 1 to 100 records'],
    ['an object, not an array', contact('c1'), 'Body must be a JSON array of records, even for one record (got object)'],
    ['null', 'null', 'Body must be a JSON array of records, even for one record (got null)'],
    ['an empty array', [], 'Body is an empty array: send 1 to 100 records'],
    ['101 records', Array.from({ length: 101 }, (_, i) => contact(`c${i}`)), 'Body has 101 records: at most 100 per push'],
    ['mixed types', [contact('c1'), customEvent('e1')], 'Records mix @type values (contact, custom_event): send one type per push'],
    ['a record without @type', [contact('c1'), { id: 'x' }], 'Record 1 has no string "@type": every record needs one'],
    ['a record that is not an object', [contact('c1'), 'c2'], 'Record 1 has no string "@type": every record needs one'],
  ];
  for (const [name, body, message] of cases) {
    const res = await push(mock, body);
    t.equal(res.status, 400, `${name}: status`);
    const got = res.body as { status: string; message: string };
    t.equal(got.status, 'ERROR', `${name}: status field`);
    if (message.endsWith(': ')) t.ok(got.message.startsWith(message), `${name}: message ${got.message}`);
    else t.equal(got.message, message, `${name}: message`);
  }
  t.equal((await push(mock, Array.from({ length: 100 }, (_, i) => contact(`c${i}`)))).status, 202, '100 records are fine');
  t.equal(((await call(mock, 'GET', '/_records')).body as { count: number }).count, 100, 'no refused push stored anything');
});

t.test('any Content-Type is read as JSON', async (t) => {
  const mock = await withMock(t);
  const res = await fetch(`${mock.url}/v2/push`, {
    method: 'POST',
    headers: { 'x-ometria-auth': 'k', 'content-type': 'text/plain' },
    body: JSON.stringify([contact('c1')]),
  });
  t.equal(res.status, 202);
});

t.test('invalid records are rejected one by one and listed in _errors', async (t) => {
  const mock = await withMock(t);
  const res = await push(mock, [
    contact('c1'),
    contact('c2', { email: '' }),
    contact('c3', { marketing_optin: 'YES' }),
    contact('c4'),
  ]);
  t.equal(res.status, 202);
  const body = res.body as { status: string; request_id: string; accepted: number; rejected: number };
  t.match(body.request_id, UUID);
  t.strictSame(body, { status: 'OK', request_id: body.request_id, accepted: 2, rejected: 2 });

  const records = await call(mock, 'GET', '/_records');
  t.strictSame(records.body, { records: [contact('c1'), contact('c4')], count: 2 });

  const errors = await call(mock, 'GET', '/v2/push/_errors', undefined, { 'x-ometria-auth': 'k' });
  t.equal(errors.status, 200);
  t.strictSame(errors.body, [
    {
      error_message: 'Payload invalid: marketing_optin must be one of EXPLICITLY_OPTEDIN, EXPLICITLY_OPTEDOUT, NOT_SPECIFIED.',
      error_path: 'root > marketing_optin',
      request_id: body.request_id,
      record_id: 'c3',
    },
    {
      error_message: 'Payload invalid: email must be a non-empty string.',
      error_path: 'root > email',
      request_id: body.request_id,
      record_id: 'c2',
    },
  ]);
  t.equal((await call(mock, 'GET', '/v2/push/_errors')).status, 403, '_errors needs a key, as at Ometria');
});

t.test('a record type Ometria does not know is rejected per record; products are known', async (t) => {
  const mock = await withMock(t);
  const res = await push(mock, [{ '@type': 'voucher', id: 'v1' }]);
  t.equal(res.status, 202);
  t.match(res.body, { accepted: 0, rejected: 1 });
  const errors = await call(mock, 'GET', '/v2/push/_errors', undefined, { 'x-ometria-auth': 'k' });
  t.match(errors.body, [
    { error_message: 'Payload invalid: @type "voucher" is not one of contact, order, product, custom_event.', error_path: 'root > @type', record_id: 'v1' },
  ]);
  t.match((await push(mock, [{ '@type': 'product', id: 'p1' }])).body, { accepted: 1, rejected: 0 });
});

t.test('_errors keeps the 100 most recent errors, newest first', async (t) => {
  const mock = await withMock(t);
  for (let batch = 0; batch < 2; batch++) {
    const records = Array.from({ length: 60 }, (_, i) => contact(`c${batch * 60 + i}`, { email: 5 }));
    t.match((await push(mock, records)).body, { accepted: 0, rejected: 60 });
  }
  const errors = (await call(mock, 'GET', '/v2/push/_errors', undefined, { 'x-ometria-auth': 'k' })).body as { record_id: string }[];
  t.equal(errors.length, 100);
  t.equal(errors[0]?.record_id, 'c119');
  t.equal(errors[99]?.record_id, 'c20');
});

t.test('a record over 60 KB is rejected, one of exactly 60 KB is accepted', async (t) => {
  const mock = await withMock(t);
  const padded = (id: string, bytes: number) => {
    const base = JSON.stringify(contact(id, { properties: { blob: '' } })).length;
    return contact(id, { properties: { blob: 'x'.repeat(bytes - base) } });
  };
  const exact = padded('fits', MAX_RECORD_BYTES);
  const over = padded('big', MAX_RECORD_BYTES + 1);
  t.equal(Buffer.byteLength(JSON.stringify(exact)), 61440);
  t.equal(Buffer.byteLength(JSON.stringify(over)), 61441);
  const res = await push(mock, [exact, over]);
  t.equal(res.status, 202);
  t.match(res.body, { status: 'OK', accepted: 1, rejected: 1 });
  const errors = (await call(mock, 'GET', '/v2/push/_errors', undefined, { 'x-ometria-auth': 'k' })).body as unknown[];
  t.strictSame(errors.map((e) => ({ ...(e as object), request_id: 'x' })), [
    { error_message: 'Payload invalid: Record is too large.', error_path: 'root', request_id: 'x', record_id: 'big' },
  ]);
  t.strictSame(((await call(mock, 'GET', '/_records')).body as { records: { id: string }[] }).records.map((r) => r.id), ['fits']);

  // Multi-byte characters count as their UTF-8 bytes, not as characters.
  const base = JSON.stringify(contact('euro', { properties: { blob: '' } })).length;
  const euros = contact('euro', { properties: { blob: '€'.repeat(Math.ceil((MAX_RECORD_BYTES - base) / 3) + 1) } });
  t.ok(JSON.stringify(euros).length < MAX_RECORD_BYTES, 'fewer characters than the limit');
  t.match((await push(mock, [euros])).body, { accepted: 0, rejected: 1 });
});

t.test('records are upserted by (@type, id), merging the given fields', async (t) => {
  const mock = await withMock(t);
  t.match((await push(mock, [contact('c1', { firstname: 'Ann', lastname: 'Lee', properties: { a: 1 } })])).body, { accepted: 1 });
  t.match((await push(mock, [contact('c1', { lastname: 'Smith', properties: { b: 2 } })])).body, { accepted: 1 });
  t.match((await push(mock, [contact('c2'), contact('c1', { middlename: 'J' })])).body, { accepted: 2 });
  // The same id under another @type is another record.
  t.match((await push(mock, [customEvent('c1')])).body, { accepted: 1 });
  // A rejected write changes nothing and is not counted.
  t.match((await push(mock, [contact('c1', { firstname: 'Bea', marketing_optin: 'maybe' })])).body, { accepted: 0, rejected: 1 });

  const all = await call(mock, 'GET', '/_records');
  t.strictSame(all.body, {
    records: [
      // Top-level fields merge; a nested object given again replaces the stored one.
      { '@type': 'contact', id: 'c1', email: 'c1@example.com', firstname: 'Ann', lastname: 'Smith', properties: { b: 2 }, middlename: 'J' },
      contact('c2'),
      customEvent('c1'),
    ],
    count: 3,
  });
  t.strictSame((await call(mock, 'GET', '/_records?type=custom_event')).body, { records: [customEvent('c1')], count: 1 });
  t.strictSame((await call(mock, 'GET', '/_records?type=order')).body, { records: [], count: 0 });

  const stats = await call(mock, 'GET', '/_stats');
  t.strictSame(stats.body, {
    pushes: 5,
    dropped: 0,
    responses: { '202': 5 },
    accepted: 5,
    rejected: 1,
    writes: { 'contact:c1': 3, 'contact:c2': 1, 'custom_event:c1': 1 },
  });

  const cleared = await call(mock, 'DELETE', '/_records');
  t.equal(cleared.status, 204);
  t.strictSame((await call(mock, 'GET', '/_records')).body, { records: [], count: 0 });
  t.strictSame((await call(mock, 'GET', '/v2/push/_errors', undefined, { 'x-ometria-auth': 'k' })).body, []);
  t.strictSame((await call(mock, 'GET', '/_stats')).body, {
    pushes: 0,
    dropped: 0,
    responses: {},
    accepted: 0,
    rejected: 0,
    writes: {},
  });
});

t.test('unknown routes answer 404 in the same error shape', async (t) => {
  const mock = await withMock(t);
  const res = await call(mock, 'GET', '/v2/nothing?x=1');
  t.equal(res.status, 404);
  t.strictSame(res.body, { status: 'ERROR', message: 'Route GET /v2/nothing not found' });
});

t.test('errorPath writes a field\'s path as Ometria does', async (t) => {
  t.equal(errorPath([]), 'root');
  t.equal(errorPath(['lastname']), 'root > lastname');
  t.equal(errorPath(['customer', 'email']), 'root > customer > email');
});
