import t from 'tap';
import { isIsoTimestamp } from '../../src/mock-ometria/rules/iso-timestamp.js';
import { call, contact, customEvent, push, withMock } from '../helpers/mock-client.js';

// The mock's own record rules, each written here from Ometria's documented limits and shapes
// (docs/MOCK-OMETRIA.md, "The record rules"), never from the service's schemas or constants: a
// literal in this file is a number or text from Ometria's docs.

type Json = Record<string, unknown>;

function order(id: string, fields: Json = {}): Json {
  return {
    '@type': 'order',
    id,
    timestamp: '2024-05-01T10:00:00Z',
    grand_total: 12.5,
    currency: 'GBP',
    customer: { id: 'u1', email: 'ann@example.com' },
    ...fields,
  };
}

function without(record: Json, ...keys: string[]): Json {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

type Push = { status: 'OK'; request_id: string; accepted: number; rejected: number };

async function errorsOf(mock: Parameters<typeof call>[0], requestId: string): Promise<unknown> {
  return (await call(mock, 'GET', `/v2/push/_errors?request_id=${requestId}`, undefined, { 'x-ometria-auth': 'k' })).body;
}

const OPTIN = 'one of EXPLICITLY_OPTEDIN, EXPLICITLY_OPTEDOUT, NOT_SPECIFIED';
const ISO = 'an ISO 8601 date-time such as 2024-05-01T10:00:00Z';
const TYPES = 'contact, order, product, custom_event';

// [name, record, undefined = accepted | [error_message, error_path]]
const CASES: [string, Json, [string, string] | undefined][] = [
  // Every record: an id that is a non-empty string.
  ['contact: id and email are enough', contact('r-contact-min'), undefined],
  ['no id', without(contact('x'), 'id'), ['Payload invalid: id is required (a non-empty string).', 'root > id']],
  ['null id', contact('x', { id: null }), ['Payload invalid: id is required (a non-empty string).', 'root > id']],
  ['empty id', contact(''), ['Payload invalid: id must be a non-empty string.', 'root > id']],
  ['numeric id', contact('x', { id: 42 }), ['Payload invalid: id must be a non-empty string.', 'root > id']],
  ['unknown @type', { '@type': 'banana', id: 'r-banana' }, [`Payload invalid: @type "banana" is not one of ${TYPES}.`, 'root > @type']],
  ['prototype key as @type', { '@type': 'constructor', id: 'r-ctor' }, [`Payload invalid: @type "constructor" is not one of ${TYPES}.`, 'root > @type']],
  // Contacts: email; marketing_optin among the three documented values; the rest is open.
  ['contact without email', without(contact('r-c1'), 'email'), ['Payload invalid: email is required for a new contact (a non-empty string).', 'root > email']],
  ['contact with null email', contact('r-c2', { email: null }), ['Payload invalid: email is required for a new contact (a non-empty string).', 'root > email']],
  ['contact with empty email', contact('r-c3', { email: '' }), ['Payload invalid: email must be a non-empty string.', 'root > email']],
  ['contact with numeric email', contact('r-c4', { email: 7 }), ['Payload invalid: email must be a non-empty string.', 'root > email']],
  ['contact opted in', contact('r-c5', { marketing_optin: 'EXPLICITLY_OPTEDIN' }), undefined],
  ['contact opted out', contact('r-c6', { marketing_optin: 'EXPLICITLY_OPTEDOUT' }), undefined],
  ['contact not specified', contact('r-c7', { marketing_optin: 'NOT_SPECIFIED' }), undefined],
  ['misspelt marketing_optin', contact('r-c8', { marketing_optin: 'EXPLICITYLY_OPTEDOUT' }), [`Payload invalid: marketing_optin must be ${OPTIN}.`, 'root > marketing_optin']],
  ['lower-case marketing_optin', contact('r-c9', { marketing_optin: 'explicitly_optedin' }), [`Payload invalid: marketing_optin must be ${OPTIN}.`, 'root > marketing_optin']],
  // Fields the docs do not type are let through, extra ones too (the service's schema is stricter).
  ['contact with odd open fields', contact('r-c10', { lastname: 5, gender: 'x', favourite: { colour: 'red' } }), undefined],
  // Orders: timestamp, grand_total as a number, currency as an ISO 4217 code; customer optional.
  ['complete order', order('r-o1', { status: 'complete', is_valid: true, lineitems: [{ product_id: 'p1', quantity: 1 }] }), undefined],
  ['order without customer', without(order('r-o2'), 'customer'), undefined],
  ['order with zero total', order('r-o3', { grand_total: 0 }), undefined],
  ['order with an offset and a fraction', order('r-o4', { timestamp: '2024-05-01T10:00:00.123+01:00' }), undefined],
  ['order with no timezone', order('r-o5', { timestamp: '2024-05-01T10:00' }), undefined],
  ['new order without timestamp', without(order('r-o6'), 'timestamp'), [`Payload invalid: timestamp is required for a new order (${ISO}).`, 'root > timestamp']],
  ['new order without grand_total', without(order('r-o7'), 'grand_total'), ['Payload invalid: grand_total is required for a new order (a number).', 'root > grand_total']],
  ['new order without currency', without(order('r-o8'), 'currency'), ['Payload invalid: currency is required for a new order (a three-letter ISO 4217 code such as GBP).', 'root > currency']],
  ['grand_total as text', order('r-o9', { grand_total: '12.50' }), ['Payload invalid: grand_total must be a number.', 'root > grand_total']],
  ['lower-case currency', order('r-o10', { currency: 'gbp' }), ['Payload invalid: currency must be a three-letter ISO 4217 code such as GBP.', 'root > currency']],
  ['currency symbol', order('r-o11', { currency: '£' }), ['Payload invalid: currency must be a three-letter ISO 4217 code such as GBP.', 'root > currency']],
  ['30 February', order('r-o12', { timestamp: '2024-02-30T10:00:00Z' }), [`Payload invalid: timestamp must be ${ISO}.`, 'root > timestamp']],
  ['space for T', order('r-o13', { timestamp: '2024-05-01 10:00:00' }), [`Payload invalid: timestamp must be ${ISO}.`, 'root > timestamp']],
  ['epoch number', order('r-o14', { timestamp: 1714557600 }), [`Payload invalid: timestamp must be ${ISO}.`, 'root > timestamp']],
  ['is_valid as text', order('r-o15', { is_valid: 'false' }), ['Payload invalid: is_valid must be true or false.', 'root > is_valid']],
  ['customer as text', order('r-o16', { customer: 'ann' }), ['Payload invalid: customer must be an object.', 'root > customer']],
  ['customer email empty', order('r-o17', { customer: { id: 'u1', email: '' } }), ['Payload invalid: customer.email must be a non-empty string.', 'root > customer > email']],
  // Custom events: event_type, timestamp, and an identity (each belongs to a contact).
  ['custom event', customEvent('r-e1'), undefined],
  ['custom event by account id only', without(customEvent('r-e2'), 'identity_email'), undefined],
  ['custom event by email only', without(customEvent('r-e3'), 'identity_account_id'), undefined],
  ['custom event by profile_id only', { ...without(customEvent('r-e4'), 'identity_email', 'identity_account_id'), profile_id: 'pr-1' }, undefined],
  ['custom event with a long event_type', { ...customEvent('r-e5'), event_type: 'e'.repeat(40) }, undefined],
  ['custom event without event_type', without(customEvent('r-e6'), 'event_type'), ['Payload invalid: event_type is required for a new custom_event (a non-empty string).', 'root > event_type']],
  ['custom event without timestamp', without(customEvent('r-e7'), 'timestamp'), [`Payload invalid: timestamp is required for a new custom_event (${ISO}).`, 'root > timestamp']],
  [
    'custom event without identity',
    without(customEvent('r-e8'), 'identity_email', 'identity_account_id'),
    ['Payload invalid: a new custom_event needs one of identity_email, identity_account_id, profile_id: each custom event belongs to a contact.', 'root'],
  ],
  ['custom event with a numeric identity_email', { ...customEvent('r-e9'), identity_email: 5 }, ['Payload invalid: identity_email must be a non-empty string.', 'root > identity_email']],
  // Products: only @type and id are documented.
  ['product', { '@type': 'product', id: 'r-p1', title: 'Anything' }, undefined],
];

t.test("each record is judged by the mock's own rules", async (t) => {
  const mock = await withMock(t);
  for (const [name, record, expected] of CASES) {
    const res = await push(mock, [record]);
    t.equal(res.status, 202, `${name}: a received push is 202 whatever its records`);
    const body = res.body as Push;
    t.strictSame([body.accepted, body.rejected], expected === undefined ? [1, 0] : [0, 1], `${name}: counts`);
    const id = record.id;
    const recordId = typeof id === 'string' || typeof id === 'number' ? { record_id: String(id) } : {};
    const errors = expected === undefined ? [] : [{ error_message: expected[0], error_path: expected[1], request_id: body.request_id, ...recordId }];
    t.strictSame(await errorsOf(mock, body.request_id), errors, `${name}: _errors`);
  }
  const stored = (await call(mock, 'GET', '/_records')).body as { count: number };
  t.equal(stored.count, CASES.filter(([, , expected]) => expected === undefined).length, 'exactly the accepted ones are stored');
});

t.test('a push holds 1 to 100 records of one @type', async (t) => {
  const mock = await withMock(t);
  const contacts = (n: number) => Array.from({ length: n }, (_, i) => contact(`b${i}`));
  t.match((await push(mock, contacts(100))).body, { status: 'OK', accepted: 100, rejected: 0 }, '100 records');
  t.match((await push(mock, contacts(1))).body, { status: 'OK', accepted: 1 }, 'one record, in an array');
  const cases: [string, unknown, string][] = [
    ['101 records', contacts(101), 'Body has 101 records: at most 100 per push'],
    ['no record', [], 'Body is an empty array: send 1 to 100 records'],
    ['one record, not in an array', contact('b0'), 'Body must be a JSON array of records, even for one record (got object)'],
    ['orders and products', [order('o1'), { '@type': 'product', id: 'p1' }], 'Records mix @type values (order, product): send one type per push'],
    ['a record without @type', [contact('b0'), without(contact('b1'), '@type')], 'Record 1 has no string "@type": every record needs one'],
    ['a numeric @type', [{ '@type': 1, id: 'b1' }], 'Record 0 has no string "@type": every record needs one'],
  ];
  for (const [name, body, message] of cases) {
    const res = await push(mock, body);
    t.equal(res.status, 400, `${name}: status`);
    t.strictSame(res.body, { status: 'ERROR', message }, `${name}: body`);
  }
  t.equal(((await call(mock, 'GET', '/_records')).body as { count: number }).count, 100, 'a refused push stores nothing');
});

t.test('60 KB per record: 61,440 bytes of UTF-8 JSON pass, 61,441 do not', async (t) => {
  const mock = await withMock(t);
  const sized = (record: Json, bytes: number): Json => {
    const base = Buffer.byteLength(JSON.stringify({ ...record, pad: '' }));
    return { ...record, pad: 'x'.repeat(bytes - base) };
  };
  for (const record of [contact('s-c'), order('s-o'), customEvent('s-e'), { '@type': 'product', id: 's-p' }]) {
    const fits = sized(record, 61_440);
    const over = sized({ ...record, id: `${String(record.id)}-big` }, 61_441);
    t.equal(Buffer.byteLength(JSON.stringify(fits)), 61_440);
    t.equal(Buffer.byteLength(JSON.stringify(over)), 61_441);
    const res = await push(mock, [fits, over]);
    t.match(res.body, { accepted: 1, rejected: 1 }, `${String(record['@type'])}`);
    t.strictSame(await errorsOf(mock, (res.body as Push).request_id), [
      { error_message: 'Payload invalid: Record is too large.', error_path: 'root', request_id: (res.body as Push).request_id, record_id: `${String(record.id)}-big` },
    ]);
  }
  // Multi-byte characters count as their UTF-8 bytes: 20,480 "€" are 61,440 bytes alone.
  const euros = contact('s-euro', { pad: '€'.repeat(20_480) });
  t.ok(JSON.stringify(euros).length < 61_440, 'fewer characters than the limit');
  t.match((await push(mock, [euros])).body, { accepted: 0, rejected: 1 });
  // The body's own whitespace is not the record's size.
  const spaced = JSON.stringify([sized(contact('s-spaced'), 61_440)], null, 2);
  t.match((await push(mock, spaced)).body, { accepted: 1, rejected: 0 });
});

t.test('a partial update needs only what it gives; a new record needs the required fields', async (t) => {
  const mock = await withMock(t);
  // Ometria's own example of a partial update: an order cancelled by id, status and is_valid.
  const cancel = (id: string): Json => ({ '@type': 'order', id, status: 'cancelled', is_valid: false });
  t.match((await push(mock, [cancel('u-o1')])).body, { accepted: 0, rejected: 1 }, 'an order nobody pushed before needs its timestamp');
  t.match((await push(mock, [order('u-o1')])).body, { accepted: 1 });
  t.match((await push(mock, [cancel('u-o1')])).body, { accepted: 1, rejected: 0 }, 'the stored order takes the update');
  t.match((await push(mock, [{ ...cancel('u-o1'), grand_total: 'none' }])).body, { accepted: 0, rejected: 1 }, 'what an update gives is still checked');
  t.match((await push(mock, [order('u-o2'), cancel('u-o2')])).body, { accepted: 2 }, 'created earlier in the same push');
  t.match((await push(mock, [cancel('u-o3'), order('u-o3')])).body, { accepted: 1, rejected: 1 }, 'an update before its creation is not');
  t.match((await push(mock, [{ '@type': 'contact', id: 'c9' }])).body, { accepted: 0, rejected: 1 });
  t.match((await push(mock, [contact('c9'), { '@type': 'contact', id: 'c9', firstname: 'Ann' }])).body, { accepted: 2 });
  const stored = (await call(mock, 'GET', '/_records?type=order')).body as { records: Json[] };
  t.strictSame(stored.records, [{ ...order('u-o1'), status: 'cancelled', is_valid: false }, { ...order('u-o2'), status: 'cancelled', is_valid: false }, order('u-o3')]);
});

t.test('isIsoTimestamp: extended ISO 8601 date-times naming a real instant', async (t) => {
  const cases: [unknown, boolean][] = [
    ['2024-05-01T10:00:00Z', true],
    ['2024-05-01T10:00Z', true],
    ['2024-05-01T10:00', true],
    ['2024-05-01T23:59:59.999999+05:30', true],
    ['2024-05-01T10:00:00-0800', true],
    ['2024-05-01T10:00:00+01', true],
    ['2024-02-29T00:00:00Z', true],
    ['0050-01-01T00:00:00Z', true],
    ['2023-02-29T00:00:00Z', false],
    ['2024-13-01T00:00:00Z', false],
    ['2024-00-10T00:00:00Z', false],
    ['2024-05-00T00:00:00Z', false],
    ['2024-05-01T24:00:00Z', false],
    ['2024-05-01T10:60:00Z', false],
    ['2024-05-01T10:00:60Z', false],
    ['2024-05-01T10:00:00+24:00', false],
    ['2024-05-01T10:00:00+01:60', false],
    ['2024-05-01', false],
    ['2024-05-01 10:00:00', false],
    ['20240501T100000Z', false],
    ['2024-05-01T10:00:00 Z', false],
    ['', false],
    [1714557600, false],
    [null, false],
  ];
  for (const [value, expected] of cases) t.equal(isIsoTimestamp(value), expected, JSON.stringify(value));
});
