/**
 * Once per person across a restart (SPEC §8): the SQLite file is kept, the process is not. App A
 * answers the 10-people job 500 with progress and is closed (its background people go with it);
 * app B, opened on the same file and mock, sends only the people A did not get accepted, within
 * the rate window A left in the file, and never anyone twice. A claim left by a lost answer
 * survives the restart too: that person is sent once more, and only after the claim expired.
 * Virtual time throughout (the mock's rate window on the same clock).
 */
import { join } from 'node:path';
import t from 'tap';
import { storeFolder } from '../helpers/app.js';
import { deleteUsers, erasureApp, job, mockDeletions, openedStore, people, receivedDeletions } from '../helpers/erasure.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { call, withMock } from '../helpers/mock-client.js';

const SUCCESS = { status: 200, result: { statusCode: 200, status: 'successful' } };

t.test('10 people at 6 a minute across a restart: B sends only the 4 not accepted, within the window A left, then 200', async (t) => {
  const clock = new FakeClock();
  const mock = await withMock(t, { clock: clock.now });
  const file = join(storeFolder(t), 'erasure.sqlite');

  const storeA = await openedStore(t, file);
  const appA = await erasureApp(t, clock, mock, { store: storeA });
  const first = await deleteUsers(appA, job('j10', people(10)));
  t.strictSame(first, { status: 500, result: { statusCode: 500, error: "6 of 10 people sent to Ometria; 4 waiting for Ometria's rate limit" } });
  t.equal(clock.elapsed(), 50_000);
  t.equal((await mockDeletions(mock, clock)).received.length, 6);
  // The restart: A and everything it held in memory are gone; the file stays.
  await clock.during(appA.close());
  await storeA.close();

  const storeB = await openedStore(t, file);
  const appB = await erasureApp(t, clock, mock, { store: storeB, env: { DELETION_WAIT_MS: '5000' } });
  // The worker retries at once: the window A filled is in the file, so B waits for it like A would have.
  const second = await deleteUsers(appB, job('j10', people(10)));
  t.strictSame(second, { status: 500, result: { statusCode: 500, error: "6 of 10 people sent to Ometria; 4 waiting for Ometria's rate limit" } });
  t.equal(clock.elapsed(), 55_000);
  t.equal((await mockDeletions(mock, clock)).received.length, 6, 'nobody sent while the window A filled is full');

  // B's background sends the rest when the window has room; the worker's next attempt gets 200.
  await clock.sleep(30_000);
  const third = await deleteUsers(appB, job('j10', people(10)));
  t.strictSame(third, SUCCESS);
  const seen = await mockDeletions(mock, clock);
  t.equal(seen.received.length, 10, 'ten requests in all: no person sent twice, none refused');
  t.strictSame(Object.keys(seen.accepted).sort(), people(10).map((p) => p.email).sort());
  t.strictSame(Object.values(seen.accepted), Array(10).fill(1), 'each accepted once');
  const times = (await receivedDeletions(mock, clock)).map((r) => r.at - clock.start);
  t.ok(
    times.slice(6).every((at) => at >= 61_000),
    `B's four went out only once A's six had left the window: ${times.join(', ')}`,
  );

  // A repeated call answers 200 at once and sends nothing.
  const at = clock.elapsed();
  t.strictSame(await deleteUsers(appB, job('j10', people(10))), SUCCESS);
  t.equal(clock.elapsed(), at, 'at once');
  t.equal((await mockDeletions(mock, clock)).received.length, 10, 'nothing sent');
});

t.test("A's background people are lost with it; B, called later, sends the 4 at once and answers 200", async (t) => {
  const clock = new FakeClock();
  const mock = await withMock(t, { clock: clock.now });
  const file = join(storeFolder(t), 'erasure.sqlite');

  const storeA = await openedStore(t, file);
  const appA = await erasureApp(t, clock, mock, { store: storeA });
  const first = await deleteUsers(appA, job('j10', people(10)));
  t.equal(first.status, 500);
  t.equal(first.result.error, "6 of 10 people sent to Ometria; 4 waiting for Ometria's rate limit");
  await clock.during(appA.close());
  await storeA.close();
  // Past A's window: had A's background lived, it would have sent the other four by now.
  await clock.sleep(40_000);
  t.equal((await mockDeletions(mock, clock)).received.length, 6, 'a closed process sends nothing more');

  const storeB = await openedStore(t, file);
  const appB = await erasureApp(t, clock, mock, { store: storeB });
  const at = clock.elapsed();
  t.strictSame(await deleteUsers(appB, job('j10', people(10))), SUCCESS);
  t.equal(clock.elapsed(), at, 'no wait: the window has room again');
  const seen = await mockDeletions(mock, clock);
  t.equal(seen.received.length, 10);
  t.strictSame(Object.values(seen.accepted), Array(10).fill(1));
  t.strictSame(seen.received.slice(6).sort(), ['p10@example.com', 'p7@example.com', 'p8@example.com', 'p9@example.com'], 'B sent exactly those A had not');

  t.strictSame(await deleteUsers(appB, job('j10', people(10))), SUCCESS);
  t.equal((await mockDeletions(mock, clock)).received.length, 10, 'a repeated call sends nothing');
});

t.test('a claim left by a lost answer survives the restart: the person is sent once more, only after the claim expired', async (t) => {
  const clock = new FakeClock();
  // Ometria acts on the first request and the connection drops before its answer.
  const mock = await withMock(t, { clock: clock.now, deletions: { lostAnswerRate: 1 } });
  const file = join(storeFolder(t), 'erasure.sqlite');
  const one = [{ userId: 'u1', email: 'lost@example.com' }];

  const storeA = await openedStore(t, file);
  const appA = await erasureApp(t, clock, mock, { store: storeA, env: { DELETION_WAIT_MS: '2000' } });
  const first = await deleteUsers(appA, job('jl', one));
  t.equal(first.status, 500);
  t.match(first.result.error, /^0 of 1 person sent to Ometria; 1 waiting to retry after no answer from Ometria \(/);
  const lost = await receivedDeletions(mock, clock);
  t.strictSame(
    lost.map((r) => [r.email, r.outcome, r.status]),
    [['lost@example.com', 'lost-answer', 202]],
    'Ometria acted, the answer was lost',
  );
  await clock.during(appA.close());
  await storeA.close();

  // From now on Ometria answers.
  const settings = await clock.during(call(mock, 'PUT', '/_control/deletions', { lostAnswerRate: 0 }));
  t.equal(settings.status, 200);

  const storeB = await openedStore(t, file);
  const appB = await erasureApp(t, clock, mock, { store: storeB, env: { DELETION_WAIT_MS: '5000' } });
  // B knows nothing of the answer A lost, but the claim in the file holds it back.
  const second = await deleteUsers(appB, job('jl', one));
  t.strictSame(second, { status: 500, result: { statusCode: 500, error: '0 of 1 person sent to Ometria; 1 waiting being sent by another process' } });
  t.equal((await receivedDeletions(mock, clock)).length, 1, 'not sent again while the claim is live');

  // Past the claim (the erasure client's deadline, 30 s, plus a margin): sent once more, accepted.
  await clock.sleep(60_000);
  const third = await deleteUsers(appB, job('jl', one));
  t.strictSame(third, SUCCESS);
  const all = await receivedDeletions(mock, clock);
  t.equal(all.length, 2, 'one repeat, no more');
  t.strictSame(
    all.map((r) => [r.outcome, r.status]),
    [
      ['lost-answer', 202],
      ['answered', 202],
    ],
  );
  const [lostAt, repeatAt] = all.map((r) => r.at) as [number, number];
  t.ok(repeatAt - lostAt >= 35_000, `the repeat waited for the claim to expire (${repeatAt - lostAt} ms after the lost answer)`);

  t.strictSame(await deleteUsers(appB, job('jl', one)), SUCCESS);
  t.equal((await receivedDeletions(mock, clock)).length, 2, 'a repeated call sends nothing');
});
