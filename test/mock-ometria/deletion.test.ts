import { createHash } from 'node:crypto';
import t, { type Test } from 'tap';
import { EnvError, loadMockOmetriaConfig, mockOptionsFromEnv } from '../../src/mock-ometria/env.js';
import { DeletionFaultInjector, resolveDeletionSettings } from '../../src/mock-ometria/state/deletion-faults.js';
import { call, deletionStatuses, requestDeletion, withMock, type Answer } from '../helpers/mock-client.js';
import { mulberry32 } from '../helpers/prng.js';

// Ometria's GDPR anonymisation API as OMETRIA-API.md describes it, written here rather than read
// from the mock: six requests a minute, a 403 for a key without access, hashed emails in the list.
const PATH = '/v2/data-deletion-requests';
const SIX_A_MINUTE = 6;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DEFAULTS = { ratePerMinute: 6, failRate: 0, throttleRate: 0, dropRate: 0, lostAnswerRate: 0, delayMs: 0, seed: 1 };
const START = Date.UTC(2026, 0, 5, 9, 0, 0);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The status, checked before the body is read. */
function bodyOf(t: Test, answer: Answer, status: number, what: string): unknown {
  t.equal(answer.status, status, `${what}: status`);
  return answer.body;
}

async function inspect(t: Test, mock: Parameters<typeof call>[0]) {
  const res = await call(mock, 'GET', '/_deletions');
  t.equal(res.status, 200, 'GET /_deletions: status');
  return res.body as { requests: Record<string, unknown>[]; accepted: Record<string, number> };
}

async function list(mock: Parameters<typeof call>[0], apiKey: string | null = 'key-1'): Promise<Answer> {
  return call(mock, 'GET', PATH, undefined, apiKey === null ? {} : { 'x-ometria-auth': apiKey });
}

t.test('an accepted request: 202 with the created request, listed for its key only', async (t) => {
  const now = START;
  const mock = await withMock(t, { apiKeys: ['key-1', 'key-2'], clock: () => now });
  const res = await requestDeletion(mock, { email: ' Ann@Example.com ', comment: 'Erasure request 42' });
  const created = bodyOf(t, res, 202, 'POST') as Record<string, unknown>;
  t.match(created.id, UUID);
  t.match((created.source as Record<string, unknown>).api_request_id, UUID);
  t.strictSame(created, {
    id: created.id,
    action: 'anonymise',
    comment: 'Erasure request 42',
    identities: [{ hashed_email: `${sha256('ann@example.com')}@anonymous.ometria` }],
    source: { api_request_id: (created.source as Record<string, unknown>).api_request_id, origin: 'api' },
    summary: 'queued',
    timestamp_created: '2026-01-05T09:00:00.000Z',
    timestamp_completed: null,
  });
  t.notMatch(JSON.stringify(created), /ann@example\.com/i, 'the answer holds no address');

  const second = bodyOf(t, await requestDeletion(mock, { email: 'bob@example.com' }), 202, 'second POST') as Record<string, unknown>;
  t.equal(second.comment, null, 'no comment → null');
  t.strictSame(bodyOf(t, await list(mock), 200, 'GET'), [second, created], 'newest first');
  t.strictSame(bodyOf(t, await list(mock, 'key-2'), 200, 'GET, another key'), [], "another key's list is its own");
  t.strictSame(bodyOf(t, await list(mock, null), 403, 'GET without key'), {
    status: 'ERROR',
    message: 'Authentication failed: missing X-Ometria-Auth header',
  });
  t.equal((await list(mock, 'key-3')).status, 403, 'GET with a key not accepted');
  // Listing is not limited: only requests that create count against the six a minute.
  for (let i = 0; i < 10; i++) t.equal((await list(mock)).status, 200);
  t.strictSame(await deletionStatuses(mock, 5), [202, 202, 202, 202, 429], 'the two earlier POSTs took slots, the GETs none');
});

t.test('six a minute per key, sliding: the 7th is 429 with Retry-After until a slot frees', async (t) => {
  let now = START;
  const mock = await withMock(t, { clock: () => now });
  t.strictSame(await deletionStatuses(mock, SIX_A_MINUTE, 'key-a'), [202, 202, 202, 202, 202, 202], 'six pass');
  const seventh = await requestDeletion(mock, { email: 'late@example.com' }, 'key-a');
  t.strictSame(bodyOf(t, seventh, 429, '7th'), { status: 'ERROR', message: 'Rate limit exceeded: at most 6 data deletion requests per minute' });
  t.equal(seventh.headers.get('retry-after'), '60', 'all six slots were taken just now');
  t.strictSame(await deletionStatuses(mock, 7, 'key-b'), [202, 202, 202, 202, 202, 202, 429], 'another key has its own window');

  now += 59_001;
  const almost = await requestDeletion(mock, { email: 'late@example.com' }, 'key-a');
  t.equal(almost.status, 429, 'still inside the minute');
  t.equal(almost.headers.get('retry-after'), '1', 'seconds until a slot frees, rounded up (0.999 s → 1)');
  now += 998;
  t.equal((await requestDeletion(mock, { email: 'late@example.com' }, 'key-a')).status, 429, '1 ms before the minute is over');
  now += 1;
  t.strictSame(await deletionStatuses(mock, 7, 'key-a', 'q'), [202, 202, 202, 202, 202, 202, 429], 'after 60 s on the mock clock, six again');

  // Sliding, not fixed: three at 0 s and three at 30 s leave room only when the first three age out.
  now += 120_000;
  t.strictSame(await deletionStatuses(mock, 3, 'key-c'), [202, 202, 202]);
  now += 30_000;
  t.strictSame(await deletionStatuses(mock, 3, 'key-c', 'r'), [202, 202, 202]);
  now += 29_500;
  const early = await requestDeletion(mock, { email: 'x@example.com' }, 'key-c');
  t.equal(early.status, 429);
  t.equal(early.headers.get('retry-after'), '1', '0.5 s until the oldest slot frees, rounded up');
  now += 500;
  t.strictSame(await deletionStatuses(mock, 4, 'key-c', 's'), [202, 202, 202, 429], 'the first three slots freed, the next three are taken');
  const later = await requestDeletion(mock, { email: 'x@example.com' }, 'key-c');
  t.equal(later.status, 429);
  t.equal(later.headers.get('retry-after'), '30', 'the 30 s slots free 30 s later');

  const seen = await inspect(t, mock);
  t.equal(seen.requests.filter((r) => r.status === 429).length, 8, 'every 429 is in the inspection log');
  t.strictSame(
    seen.requests.filter((r) => r.status === 429).map((r) => r.accepted),
    Array(8).fill(false),
    'a 429 creates nothing',
  );
});

t.test('429s take no slot: retrying against the limit does not move the window', async (t) => {
  let now = START;
  const mock = await withMock(t, { deletions: { ratePerMinute: 1 }, clock: () => now });
  t.equal((await requestDeletion(mock, { email: 'a@example.com' })).status, 202);
  for (let i = 0; i < 10; i++) {
    now += 5_000;
    t.equal((await requestDeletion(mock, { email: 'b@example.com' })).status, 429);
  }
  now += 10_000;
  t.equal((await requestDeletion(mock, { email: 'b@example.com' })).status, 202, '60 s after the one admitted request');
});

t.test('the limit is settable at start and at run time; 0 = off', async (t) => {
  const now = START;
  const mock = await withMock(t, { deletions: { ratePerMinute: 2 }, clock: () => now });
  t.strictSame(bodyOf(t, await call(mock, 'GET', '/_control/deletions'), 200, 'GET settings'), { ...DEFAULTS, ratePerMinute: 2 });
  t.strictSame(await deletionStatuses(mock, 3), [202, 202, 429]);
  const limited = await requestDeletion(mock, { email: 'a@example.com' });
  t.strictSame(bodyOf(t, limited, 429, 'at 2 a minute'), { status: 'ERROR', message: 'Rate limit exceeded: at most 2 data deletion requests per minute' });

  t.strictSame(bodyOf(t, await call(mock, 'PUT', '/_control/deletions', { ratePerMinute: 0 }), 200, 'PUT 0'), { ...DEFAULTS, ratePerMinute: 0 });
  t.strictSame(await deletionStatuses(mock, 20), Array(20).fill(202), '0 = no limit');

  t.strictSame(bodyOf(t, await call(mock, 'PUT', '/_control/deletions', {}), 200, 'PUT {}'), DEFAULTS, 'omitted = six a minute');
  t.strictSame(await deletionStatuses(mock, 7), [202, 202, 202, 202, 202, 202, 429], 'a change opens fresh windows');

  t.strictSame(bodyOf(t, await call(mock, 'DELETE', '/_control/deletions'), 200, 'DELETE'), { ...DEFAULTS, ratePerMinute: 2 });
  t.strictSame(await deletionStatuses(mock, 3), [202, 202, 429], 'back to the start-up limit, fresh windows');

  const other = await withMock(t, { clock: () => now });
  t.strictSame(bodyOf(t, await call(other, 'GET', '/_control/deletions'), 200, 'defaults'), DEFAULTS, "Ometria's six a minute by default");
});

t.test('auth: a missing or refused key is 403, before the limit and the body', async (t) => {
  const mock = await withMock(t, { apiKeys: ['key-1'], deletions: { ratePerMinute: 1 } });
  const missing = await requestDeletion(mock, { email: 'a@example.com' }, null);
  t.strictSame(bodyOf(t, missing, 403, 'no header'), { status: 'ERROR', message: 'Authentication failed: missing X-Ometria-Auth header' });
  t.equal((await requestDeletion(mock, { email: 'a@example.com' }, '  ')).status, 403, 'a blank key is a missing key');
  const wrong = await requestDeletion(mock, 'not json', 'secret-wrong-key');
  t.strictSame(bodyOf(t, wrong, 403, 'wrong key, broken body'), { status: 'ERROR', message: 'Authentication failed: API key not accepted' });
  t.notMatch(JSON.stringify(wrong.body), 'secret-wrong-key');
  t.equal((await requestDeletion(mock, { email: 'a@example.com' })).status, 202, 'the 403s took no slot of key-1');

  const seen = await inspect(t, mock);
  t.strictSame(
    seen.requests.map(({ keyFingerprint, status, accepted }) => ({ keyFingerprint, status, accepted })),
    [
      { keyFingerprint: null, status: 403, accepted: false },
      { keyFingerprint: null, status: 403, accepted: false },
      { keyFingerprint: sha256('secret-wrong-key'), status: 403, accepted: false },
      { keyFingerprint: sha256('key-1'), status: 202, accepted: true },
    ],
    'keys appear as fingerprints only',
  );
  t.notMatch(JSON.stringify(seen), /secret-wrong-key|"key-1"/);
  t.strictSame(seen.accepted, { 'a@example.com': 1 });
});

t.test('the body needs a non-empty string email; 400 names the field', async (t) => {
  const mock = await withMock(t, { deletions: { ratePerMinute: 0 } });
  const cases: [string, unknown, string][] = [
    ['no email', { comment: 'why' }, 'email is required: the address of the person to anonymise'],
    ['email null', { email: null }, 'email is required: the address of the person to anonymise'],
    ['empty email', { email: '' }, 'email must be a non-empty string'],
    ['blank email', { email: '   ' }, 'email must be a non-empty string'],
    ['number email', { email: 42 }, 'email must be a non-empty string'],
    ['array email', { email: ['a@example.com'] }, 'email must be a non-empty string'],
    ['number comment', { email: 'a@example.com', comment: 7 }, 'comment must be a string when given'],
    ['an array body', [{ email: 'a@example.com' }], 'Body must be a JSON object {"email":"<address>","comment":"<why>"} (got array)'],
    ['a string body', '"a@example.com"', 'Body must be a JSON object {"email":"<address>","comment":"<why>"} (got string)'],
    ['null', 'null', 'Body must be a JSON object {"email":"<address>","comment":"<why>"} (got null)'],
    ['not JSON', '{"email": "a@example.com"', 'Body is not valid JSON: send {"email":"<address>","comment":"<why>"}'],
    ['empty', '', 'Body is empty: send {"email":"<address>","comment":"<why>"}'],
  ];
  for (const [name, body, message] of cases) {
    const res = await requestDeletion(mock, body);
    t.strictSame(bodyOf(t, res, 400, name), { status: 'ERROR', message }, name);
    t.notMatch(JSON.stringify(res.body), 'a@example.com', `${name}: no address in the answer`);
  }
  t.equal((await requestDeletion(mock, { email: 'a@example.com', comment: null, extra: true })).status, 202, 'null comment and other fields are let through');
  t.equal((bodyOf(t, await list(mock), 200, 'GET') as unknown[]).length, 1, 'one request created');
  const seen = await inspect(t, mock);
  t.equal(seen.requests.length, cases.length + 1);
  t.strictSame(seen.accepted, { 'a@example.com': 1 }, 'refused bodies count for nothing');
  t.strictSame(
    seen.requests.slice(0, 2).map((r) => r.email),
    [null, null],
    'no string email, no email in the log',
  );
  t.equal(seen.requests[2]?.email, '', 'a string email is shown as received, even empty');
});

t.test('inspection: every request with its email, key fingerprint and status; accepted per email; DELETE clears', async (t) => {
  let now = START;
  const mock = await withMock(t, { deletions: { ratePerMinute: 3 }, clock: () => now });
  t.equal((await requestDeletion(mock, { email: 'ann@example.com' })).status, 202);
  t.equal((await requestDeletion(mock, { email: 'ann@example.com' })).status, 202, 'Ometria takes a repeat too');
  now += 1_000;
  t.equal((await requestDeletion(mock, { email: 'Bob@Example.com' })).status, 202);
  t.equal((await requestDeletion(mock, { email: 'cy@example.com' })).status, 429);
  t.equal((await requestDeletion(mock, { email: 'cy@example.com' }, 'key-2')).status, 202);
  const created = bodyOf(t, await list(mock), 200, 'GET') as { id: string }[];

  const seen = await inspect(t, mock);
  const key1 = sha256('key-1');
  t.strictSame(seen, {
    requests: [
      { email: 'ann@example.com', keyFingerprint: key1, status: 202, outcome: 'answered', accepted: true, id: created[2]?.id, receivedAt: '2026-01-05T09:00:00.000Z' },
      { email: 'ann@example.com', keyFingerprint: key1, status: 202, outcome: 'answered', accepted: true, id: created[1]?.id, receivedAt: '2026-01-05T09:00:00.000Z' },
      { email: 'Bob@Example.com', keyFingerprint: key1, status: 202, outcome: 'answered', accepted: true, id: created[0]?.id, receivedAt: '2026-01-05T09:00:01.000Z' },
      { email: 'cy@example.com', keyFingerprint: key1, status: 429, outcome: 'answered', accepted: false, id: null, receivedAt: '2026-01-05T09:00:01.000Z' },
      { email: 'cy@example.com', keyFingerprint: sha256('key-2'), status: 202, outcome: 'answered', accepted: true, id: seen.requests[4]?.id, receivedAt: '2026-01-05T09:00:01.000Z' },
    ],
    accepted: { 'ann@example.com': 2, 'Bob@Example.com': 1, 'cy@example.com': 1 },
  });
  t.match(seen.requests[4]?.id, UUID);

  const cleared = await call(mock, 'DELETE', '/_deletions');
  t.equal(cleared.status, 204);
  t.strictSame(await inspect(t, mock), { requests: [], accepted: {} });
  t.strictSame(bodyOf(t, await list(mock), 200, 'GET after DELETE'), [], 'created requests are forgotten');
  t.strictSame(await deletionStatuses(mock, 4), [202, 202, 202, 429], 'rate windows start fresh');
  t.strictSame(bodyOf(t, await call(mock, 'GET', '/_control/deletions'), 200, 'settings'), { ...DEFAULTS, ratePerMinute: 3 }, 'settings stay');
});

t.test('faults', async (t) => {
  t.test('failRate 1: 500 before auth, nothing created, no slot taken', async (t) => {
    const mock = await withMock(t, { deletions: { failRate: 1, ratePerMinute: 1 } });
    const res = await requestDeletion(mock, { email: 'a@example.com' });
    t.strictSame(bodyOf(t, res, 500, 'fail'), { status: 'ERROR', message: 'Injected failure (failRate)' });
    t.equal((await requestDeletion(mock, 'not json', null)).status, 500, 'before the key and the body');
    t.strictSame(bodyOf(t, await list(mock), 200, 'GET is never faulted'), []);
    const seen = await inspect(t, mock);
    t.strictSame(seen.requests.map((r) => [r.status, r.outcome, r.accepted]), [[500, 'answered', false], [500, 'answered', false]]);
    t.strictSame(seen.accepted, {});
    await call(mock, 'PUT', '/_control/deletions', { ratePerMinute: 1 });
    t.equal((await requestDeletion(mock, { email: 'a@example.com' })).status, 202);
  });

  t.test('throttleRate 1: 429, with Retry-After only when set', async (t) => {
    const mock = await withMock(t, { deletions: { throttleRate: 1, retryAfterSeconds: 7 } });
    const res = await requestDeletion(mock, { email: 'a@example.com' });
    t.strictSame(bodyOf(t, res, 429, 'throttle'), { status: 'ERROR', message: 'Too many requests (injected by throttleRate)' });
    t.equal(res.headers.get('retry-after'), '7');
    await call(mock, 'PUT', '/_control/deletions', { throttleRate: 1 });
    const bare = await requestDeletion(mock, { email: 'a@example.com' });
    t.equal(bare.status, 429);
    t.equal(bare.headers.get('retry-after'), null, 'no header unless retryAfterSeconds is set');
    t.strictSame((await inspect(t, mock)).accepted, {});
  });

  t.test('dropRate 1: the connection is destroyed before Ometria acts', async (t) => {
    const mock = await withMock(t, { deletions: { dropRate: 1, ratePerMinute: 1 } });
    await t.rejects(requestDeletion(mock, { email: 'a@example.com' }), { name: 'TypeError', cause: { code: 'UND_ERR_SOCKET' } });
    await t.rejects(requestDeletion(mock, { email: 'a@example.com' }), { name: 'TypeError' });
    const seen = await inspect(t, mock);
    t.strictSame(seen.requests.map(({ email, status, outcome, accepted, id }) => ({ email, status, outcome, accepted, id })), [
      { email: 'a@example.com', status: null, outcome: 'dropped', accepted: false, id: null },
      { email: 'a@example.com', status: null, outcome: 'dropped', accepted: false, id: null },
    ]);
    t.strictSame(seen.accepted, {}, 'nothing accepted');
    t.strictSame(bodyOf(t, await list(mock), 200, 'GET'), [], 'nothing created');
    await call(mock, 'PUT', '/_control/deletions', { ratePerMinute: 1 });
    t.equal((await requestDeletion(mock, { email: 'a@example.com' })).status, 202);
  });

  t.test('lostAnswerRate 1: Ometria acts, then the answer is lost', async (t) => {
    const mock = await withMock(t, { deletions: { lostAnswerRate: 1, ratePerMinute: 2 } });
    await t.rejects(requestDeletion(mock, { email: 'a@example.com', comment: 'c' }), { name: 'TypeError', cause: { code: 'UND_ERR_SOCKET' } });
    const created = bodyOf(t, await list(mock), 200, 'GET') as { id: string; comment: string }[];
    t.equal(created.length, 1, 'the request was created');
    t.equal(created[0]?.comment, 'c');
    // Whatever the answer would have been is lost: a refusal too, and it creates nothing.
    await t.rejects(requestDeletion(mock, { email: 'b@example.com' }, null), { name: 'TypeError' });
    await t.rejects(requestDeletion(mock, { email: 'a@example.com' }), { name: 'TypeError' });
    await t.rejects(requestDeletion(mock, { email: 'a@example.com' }), { name: 'TypeError' });
    const seen = await inspect(t, mock);
    t.strictSame(seen.requests.map(({ email, status, outcome, accepted }) => ({ email, status, outcome, accepted })), [
      { email: 'a@example.com', status: 202, outcome: 'lost-answer', accepted: true },
      { email: 'b@example.com', status: 403, outcome: 'lost-answer', accepted: false },
      { email: 'a@example.com', status: 202, outcome: 'lost-answer', accepted: true },
      { email: 'a@example.com', status: 429, outcome: 'lost-answer', accepted: false },
    ]);
    t.equal(seen.requests[0]?.id, created[0]?.id);
    t.strictSame(seen.accepted, { 'a@example.com': 2 }, 'a lost answer counts as accepted');
  });

  t.test('delayMs delays every POST answer, not GET or inspection', async (t) => {
    const mock = await withMock(t, { deletions: { delayMs: 300 } });
    const timed = async (run: () => Promise<unknown>) => {
      const start = performance.now();
      await run();
      return performance.now() - start;
    };
    t.ok((await timed(() => requestDeletion(mock, { email: 'a@example.com' }))) >= 290, 'an accepted request waits');
    t.ok((await timed(() => requestDeletion(mock, { email: 'a@example.com' }, null))) >= 290, 'a refused one too');
    t.ok((await timed(() => list(mock))) < 200, 'GET does not');
    t.ok((await timed(() => call(mock, 'GET', '/_deletions'))) < 200, 'inspection does not');
  });

  t.test('push faults and deletion faults are apart', async (t) => {
    const mock = await withMock(t, { faults: { failRate: 1 }, deletions: { ratePerMinute: 0 } });
    t.equal((await requestDeletion(mock, { email: 'a@example.com' })).status, 202, 'push faults leave deletions alone');
    await call(mock, 'PUT', '/_control/deletions', { failRate: 1 });
    await call(mock, 'PUT', '/_control/faults', {});
    const push = await call(mock, 'POST', '/v2/push', [{ '@type': 'contact', id: 'c1', email: 'a@example.com' }], { 'x-ometria-auth': 'k' });
    t.equal(push.status, 202, 'deletion faults leave pushes alone');
  });
});

t.test('fault shares are slices of one draw per request, reproducible by seed', async (t) => {
  const settings = { dropRate: 0.1, lostAnswerRate: 0.2, failRate: 0.3, throttleRate: 0.1, seed: 9 };
  const injector = new DeletionFaultInjector(resolveDeletionSettings(settings));
  const random = mulberry32(9);
  const expected = Array.from({ length: 300 }, () => {
    const r = random();
    return r < 0.1 ? 'drop' : r < 0.3 ? 'lost-answer' : r < 0.6 ? 'fail' : r < 0.7 ? 'throttle' : 'none';
  });
  const got = Array.from({ length: 300 }, () => injector.draw());
  t.strictSame(got, expected);
  t.strictSame([...new Set(got)].sort(), ['drop', 'fail', 'lost-answer', 'none', 'throttle'], 'every decision occurs');

  const faults = { failRate: 0.3, throttleRate: 0.3, ratePerMinute: 0, seed: 777 };
  const mock = await withMock(t, { deletions: faults });
  const first = await deletionStatuses(mock, 30);
  t.strictSame([202, 429, 500].filter((s) => first.includes(s)), [202, 429, 500], `202, 429 and 500 all occur: ${first.join(' ')}`);
  await call(mock, 'PUT', '/_control/deletions', faults);
  t.strictSame(await deletionStatuses(mock, 30), first, 'after PUT with the same seed');
  await call(mock, 'DELETE', '/_control/deletions');
  t.strictSame(await deletionStatuses(mock, 30), first, 'after DELETE back to the start settings');
  t.strictSame(await deletionStatuses(await withMock(t, { deletions: faults }), 30), first, 'on another server');
});

t.test('control route: PUT replaces, refuses bad settings naming them, DELETE restores', async (t) => {
  const mock = await withMock(t, { deletions: { delayMs: 5, seed: 3 } });
  const initial = { ...DEFAULTS, delayMs: 5, seed: 3 };
  t.strictSame(bodyOf(t, await call(mock, 'GET', '/_control/deletions'), 200, 'GET'), initial);
  const replaced = { ...DEFAULTS, lostAnswerRate: 0.25, retryAfterSeconds: 2, ratePerMinute: 10 };
  t.strictSame(
    bodyOf(t, await call(mock, 'PUT', '/_control/deletions', { lostAnswerRate: 0.25, retryAfterSeconds: 2, ratePerMinute: 10 }), 200, 'PUT'),
    replaced,
  );
  const refusals: [string, unknown, string][] = [
    ['a share over 1', { lostAnswerRate: 2 }, 'body/lostAnswerRate must be <= 1'],
    ['a misspelt setting', { ratePerMinut: 5 }, 'body must NOT have additional properties: "ratePerMinut"'],
    ['a negative rate', { ratePerMinute: -1 }, 'body/ratePerMinute must be >= 0'],
    ['a fractional rate', { ratePerMinute: 1.5 }, 'body/ratePerMinute must be integer'],
    [
      'shares adding up past 1',
      { dropRate: 0.5, lostAnswerRate: 0.6 },
      'Invalid deletion settings: dropRate + lostAnswerRate + failRate + throttleRate must not exceed 1 (they add up to 1.1)',
    ],
  ];
  for (const [name, body, message] of refusals) {
    t.strictSame(bodyOf(t, await call(mock, 'PUT', '/_control/deletions', body), 400, name), { status: 'ERROR', message }, name);
  }
  t.strictSame(bodyOf(t, await call(mock, 'GET', '/_control/deletions'), 200, 'GET'), replaced, 'a refused PUT changes nothing');
  t.strictSame(bodyOf(t, await call(mock, 'DELETE', '/_control/deletions'), 200, 'DELETE'), initial);
  t.throws(() => resolveDeletionSettings({ failRate: 0.5, throttleRate: 0.6 }), /must not exceed 1/);
  await t.rejects(withMock(t, { deletions: { dropRate: 1.5 } }), RangeError);
});

t.test('env: MOCK_OMETRIA_DELETION_* load; a bad one stops the mock naming it', async (t) => {
  t.strictSame(mockOptionsFromEnv(loadMockOmetriaConfig({})).deletions, DEFAULTS, 'defaults: six a minute, no faults');
  const options = mockOptionsFromEnv(
    loadMockOmetriaConfig({
      MOCK_OMETRIA_DELETION_RATE_PER_MINUTE: '0',
      MOCK_OMETRIA_DELETION_FAIL_RATE: '0.1',
      MOCK_OMETRIA_DELETION_THROTTLE_RATE: '0.2',
      MOCK_OMETRIA_DELETION_RETRY_AFTER: '0',
      MOCK_OMETRIA_DELETION_DROP_RATE: '0.05',
      MOCK_OMETRIA_DELETION_LOST_ANSWER_RATE: '0.15',
      MOCK_OMETRIA_DELETION_DELAY_MS: '250',
      MOCK_OMETRIA_DELETION_SEED: '42',
    }),
  );
  t.strictSame(options.deletions, {
    ratePerMinute: 0,
    failRate: 0.1,
    throttleRate: 0.2,
    retryAfterSeconds: 0,
    dropRate: 0.05,
    lostAnswerRate: 0.15,
    delayMs: 250,
    seed: 42,
  });
  const mock = await withMock(t, options);
  t.strictSame(bodyOf(t, await call(mock, 'GET', '/_control/deletions'), 200, 'the mock started from them'), options.deletions);

  const cases: [Record<string, string>, string][] = [
    [{ MOCK_OMETRIA_DELETION_RATE_PER_MINUTE: 'six' }, 'MOCK_OMETRIA_DELETION_RATE_PER_MINUTE="six"'],
    [{ MOCK_OMETRIA_DELETION_RATE_PER_MINUTE: '-1' }, 'MOCK_OMETRIA_DELETION_RATE_PER_MINUTE="-1"'],
    [{ MOCK_OMETRIA_DELETION_FAIL_RATE: '1.5' }, 'MOCK_OMETRIA_DELETION_FAIL_RATE="1.5"'],
    [{ MOCK_OMETRIA_DELETION_THROTTLE_RATE: 'half' }, 'MOCK_OMETRIA_DELETION_THROTTLE_RATE="half"'],
    [{ MOCK_OMETRIA_DELETION_RETRY_AFTER: 'soon' }, 'MOCK_OMETRIA_DELETION_RETRY_AFTER="soon"'],
    [{ MOCK_OMETRIA_DELETION_DROP_RATE: '-0.1' }, 'MOCK_OMETRIA_DELETION_DROP_RATE="-0.1"'],
    [{ MOCK_OMETRIA_DELETION_LOST_ANSWER_RATE: '2' }, 'MOCK_OMETRIA_DELETION_LOST_ANSWER_RATE="2"'],
    [{ MOCK_OMETRIA_DELETION_DELAY_MS: '-5' }, 'MOCK_OMETRIA_DELETION_DELAY_MS="-5"'],
    [{ MOCK_OMETRIA_DELETION_SEED: 'x' }, 'MOCK_OMETRIA_DELETION_SEED="x"'],
  ];
  for (const [env, named] of cases) {
    try {
      loadMockOmetriaConfig(env);
      t.fail(`${named}: should throw`);
    } catch (error) {
      t.type(error, EnvError, named);
      t.equal((error as EnvError).problems.length, 1, `${named}: one problem`);
      t.ok((error as EnvError).problems[0]?.startsWith(named), `${named}: ${(error as EnvError).problems[0]}`);
    }
  }
  const tooMuch = loadMockOmetriaConfig({ MOCK_OMETRIA_DELETION_LOST_ANSWER_RATE: '0.7', MOCK_OMETRIA_DELETION_DROP_RATE: '0.5' });
  t.throws(() => mockOptionsFromEnv(tooMuch), EnvError);
  t.throws(
    () => mockOptionsFromEnv(tooMuch),
    /MOCK_OMETRIA_DELETION_DROP_RATE, MOCK_OMETRIA_DELETION_LOST_ANSWER_RATE, MOCK_OMETRIA_DELETION_FAIL_RATE, MOCK_OMETRIA_DELETION_THROTTLE_RATE: .*add up to 1\.2/,
  );
});
