/**
 * POST /deleteUsers (SPEC §8): every answer and its precedence, in virtual time, against the mock
 * Ometria on a loopback port (its rate window on the same virtual clock).
 */
import t from 'tap';
import { FakeClock } from '../helpers/fake-clock.js';
import { deleteUsers, erasureApp, job, mockDeletions, people } from '../helpers/erasure.js';
import { call, withMock } from '../helpers/mock-client.js';
import { testApp } from '../helpers/app.js';

t.test('a job of three people is sent once each and answered 200', async (t) => {
  const clock = new FakeClock();
  const mock = await withMock(t, { clock: clock.now });
  const app = await erasureApp(t, clock, mock);
  const answer = await deleteUsers(app, job('j1', people(3)));
  t.strictSame(answer, { status: 200, result: { statusCode: 200, status: 'successful' } });
  const seen = await mockDeletions(mock);
  t.strictSame(seen.accepted, { 'p1@example.com': 1, 'p2@example.com': 1, 'p3@example.com': 1 });
  t.equal(clock.elapsed(), 0, 'no wait: the window had room');
});

t.test('the address sent is the first of email, Email, EMAIL that is a non-empty string, trimmed; the same address in any case is one person', async (t) => {
  const clock = new FakeClock();
  const mock = await withMock(t, { clock: clock.now });
  const app = await erasureApp(t, clock, mock);
  const users = [
    { userId: 'a', email: '  ', Email: ' Ann@Example.com ' },
    { userId: 'b', EMAIL: 'ann@example.COM' },
    { userId: 'c', email: 'bob@example.com', Email: 'other@example.com' },
  ];
  const answer = await deleteUsers(app, job('j1', users));
  t.equal(answer.status, 200);
  t.strictSame((await mockDeletions(mock)).received, ['Ann@Example.com', 'bob@example.com']);
});

t.test('400 for a body that is not the expected array, naming the field', async (t) => {
  const app = await testApp(t);
  const cases: [unknown, RegExp][] = [
    [{}, /body must be array/],
    [[], /body must NOT have fewer than 1 items/],
    [[{ jobId: 'j', destType: 'ometria' }], /must have required property 'config'/],
    [[{ jobId: 'j', destType: 'ometria', config: [] }], /body\/0\/config must be object/],
    [[{ jobId: '', destType: 'ometria', config: {} }], /body\/0\/jobId/],
    [[1, 2], /body\/0 must be object|more than 1 items/],
  ];
  for (const [body, error] of cases) {
    const res = await app.inject({ method: 'POST', url: '/deleteUsers', payload: body as object });
    t.equal(res.statusCode, 400, JSON.stringify(body));
    const [result] = res.json() as { statusCode: number; error: string }[];
    t.equal(result?.statusCode, 400);
    t.match(result?.error, error);
  }
});

t.test('a body that is not JSON is a 400 that quotes none of it', async (t) => {
  const app = await testApp(t);
  const res = await app.inject({ method: 'POST', url: '/deleteUsers', headers: { 'content-type': 'application/json' }, payload: '[{"userAttributes":[{"email":"ann@example.com"}' });
  t.equal(res.statusCode, 400);
  t.match(res.json(), { error: /^Body is not valid JSON/ });
  t.notMatch(res.body, /ann@/);
});

t.test('400 Invalid Api Key before anything else of the job is looked at', async (t) => {
  const app = await testApp(t);
  for (const config of [{}, { apiKey: '' }, { apiKey: 42 }, { apiKey: 'key\nX-Other: 1' }, { apiKey: 'ključ' }]) {
    const answer = await deleteUsers(app, job('j1', [{ userId: 'u1' }], config));
    t.equal(answer.status, 400);
    t.match(answer.result.error, /^Invalid Api Key: destination\.Config\.apiKey (is|holds characters an HTTP header cannot carry)/);
  }
});

t.test('400 for a job that names nobody', async (t) => {
  const app = await testApp(t);
  for (const [attributes, said] of [
    [[], 'empty'],
    [undefined, 'missing'],
    ['x', 'a string'],
  ] as const) {
    const answer = await deleteUsers(app, job('j1', attributes));
    t.equal(answer.status, 400);
    t.match(answer.result.error, `The job names nobody: userAttributes is ${said}`);
  }
});

t.test('400 names each person without an email by position and userId; the others are still sent', async (t) => {
  const clock = new FakeClock();
  const mock = await withMock(t, { clock: clock.now });
  const app = await erasureApp(t, clock, mock);
  const users = [{ userId: 'u1', email: 'p1@example.com' }, { userId: 'u2', phone: '+447911123456' }, { userId: 'u3', email: '' }, 'not an object'];
  const answer = await deleteUsers(app, job('j1', users));
  t.strictSame(answer, {
    status: 400,
    result: {
      statusCode: 400,
      error: 'No email (email, Email or EMAIL, a non-empty string) for userAttributes[1] (userId "u2"), userAttributes[2] (userId "u3"), userAttributes[3]; 1 of 1 person sent to Ometria',
    },
  });
  t.strictSame((await mockDeletions(mock)).accepted, { 'p1@example.com': 1 });
  t.notMatch(answer.result.error, /447911/, 'no phone in the answer');
});

t.test('a wrong key: 403 Ometria refused the API key, over a missing email; nobody of the job is sent again in the same attempt', async (t) => {
  const clock = new FakeClock();
  const mock = await withMock(t, { clock: clock.now, apiKeys: ['good-key'] });
  const app = await erasureApp(t, clock, mock);
  const users = [...people(3), { userId: 'u9' }];
  const answer = await deleteUsers(app, job('j1', users, { apiKey: 'bad-key' }));
  t.strictSame(answer, { status: 403, result: { statusCode: 403, error: 'Ometria refused the API key' } });
  const seen = await mockDeletions(mock);
  t.equal(seen.received.length, 1, 'one request, refused: no storm against a refused key');
  t.strictSame(seen.accepted, {});
  // The worker's next attempt, with the key corrected, sends everyone.
  const again = await deleteUsers(app, job('j1', users, { apiKey: 'good-key' }));
  t.equal(again.status, 400, 'the person without an email still makes it a 400');
  t.match(again.result.error, /; 3 of 3 people sent to Ometria$/);
});

t.test('10 people at 6 a minute: 500 with progress, the rest go out in the background, then 200; nobody twice', async (t) => {
  const clock = new FakeClock();
  const mock = await withMock(t, { clock: clock.now });
  const app = await erasureApp(t, clock, mock);
  const first = await deleteUsers(app, job('j10', people(10)));
  t.strictSame(first, { status: 500, result: { statusCode: 500, error: "6 of 10 people sent to Ometria; 4 waiting for Ometria's rate limit" } });
  t.equal(clock.elapsed(), 50_000, 'answered when DELETION_WAIT_MS was over');
  // Read with the clock held: the background must not go on meanwhile.
  t.equal(Object.keys((await mockDeletions(mock, clock)).accepted).length, 6);
  // The worker comes back later; meanwhile the background sent the rest at Ometria's pace.
  await clock.sleep(30_000);
  const second = await deleteUsers(app, job('j10', people(10)));
  t.strictSame(second, { status: 200, result: { statusCode: 200, status: 'successful' } });
  const seen = await mockDeletions(mock);
  t.equal(seen.received.length, 10, 'no person sent twice, no 429 earned');
  t.strictSame(Object.values(seen.accepted), Array(10).fill(1));
  // A repeated call after 200 answers at once and sends nothing.
  const started = clock.elapsed();
  const third = await deleteUsers(app, job('j10', people(10)));
  t.equal(third.status, 200);
  t.equal(clock.elapsed(), started);
  t.equal((await mockDeletions(mock)).received.length, 10);
});

t.test('404 for a destination that is not ours (no upstream): the worker aborts instead of retrying', async (t) => {
  const app = await testApp(t);
  const res = await app.inject({ method: 'POST', url: '/deleteUsers', payload: [{ jobId: '1', destType: 'braze', config: {}, userAttributes: [] }] });
  t.equal(res.statusCode, 404);
  t.strictSame(res.json(), [{ statusCode: 404, error: 'Unknown destination: braze' }]);
});

t.test('the mock lists what it accepted (GET /v2/data-deletion-requests)', async (t) => {
  const clock = new FakeClock();
  const mock = await withMock(t, { clock: clock.now });
  const app = await erasureApp(t, clock, mock);
  t.equal((await deleteUsers(app, job('j1', people(2)))).status, 200);
  const listed = await call(mock, 'GET', '/v2/data-deletion-requests', undefined, { 'x-ometria-auth': 'key-1' });
  t.equal(listed.status, 200);
  t.equal((listed.body as unknown[]).length, 2);
});

t.test('closing the app answers waiting calls at once with their progress, and sends nothing more', async (t) => {
  // Real time: one request a minute, so the second person cannot go out while the test runs.
  const mock = await withMock(t);
  const app = await testApp(t, { OMETRIA_API_URL: mock.url, OMETRIA_DELETION_RATE_PER_MINUTE: '1' });
  const started = Date.now();
  const pending = deleteUsers(app, job('j1', people(2)));
  // Until the first is sent and its acceptance recorded (well within the minute the second must wait).
  let erased = false;
  while (!erased && Date.now() - started < 40_000) {
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    if (metrics.statusCode !== 200) throw new Error(`GET /metrics answered ${metrics.statusCode}`);
    erased = /erasure_people_erased_total\{destination="OMETRIA"\} 1\n/.test(metrics.body);
    if (!erased) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  t.ok(erased, 'the first person was accepted');
  await app.close();
  const answer = await pending;
  t.strictSame(answer, { status: 500, result: { statusCode: 500, error: "1 of 2 people sent to Ometria; 1 waiting for Ometria's rate limit" } });
  t.ok(Date.now() - started < 50_000, 'answered on close, not after DELETION_WAIT_MS');
  t.equal((await mockDeletions(mock)).received.length, 1);
});
