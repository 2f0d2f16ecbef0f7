/**
 * Two service instances (two apps, each with its own Postgres store, as two replicas would have)
 * on one real Postgres serve the same 10-people job at once, in virtual time: nobody is sent twice,
 * together they stay within Ometria's six a minute for the key (the mock never had to refuse one),
 * and both end 200. Needs TEST_POSTGRES_URL (`.ci/run` sets it); skipped in one line without it.
 */
import t from 'tap';
import { deleteUsers, erasureApp, job, mostInWindow, openedStore, people, receivedDeletions } from '../helpers/erasure.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { withMock } from '../helpers/mock-client.js';
import { postgresUrl, testPostgresUrl } from '../helpers/postgres.js';

const SUCCESS = { status: 200, result: { statusCode: 200, status: 'successful' } };

// Without TEST_POSTGRES_URL the file holds no test; test/postgres-notice.mjs says so once for the run.
if (testPostgresUrl !== undefined) {
  t.test('two instances on one Postgres, the same 10-people job at once: nobody twice, within the rate, then 200 on both', async (t) => {
    const url = (await postgresUrl(t)) as string;
    const clock = new FakeClock();
    const mock = await withMock(t, { clock: clock.now });
    const storeA = await openedStore(t, url);
    const storeB = await openedStore(t, url);
    const appA = await erasureApp(t, clock, mock, { store: storeA });
    const appB = await erasureApp(t, clock, mock, { store: storeB });

    const body = job('j10', people(10));
    const first = await Promise.all([deleteUsers(appA, body), deleteUsers(appB, body)]);
    for (const answer of first) {
      t.equal(answer.status, 500, 'six a minute: not everyone yet');
      t.match(answer.result.error, /^\d+ of 10 people sent to Ometria; \d+ waiting/);
    }
    const early = await receivedDeletions(mock, clock);
    t.equal(early.length, 6, 'the window filled once between them, not once each');

    // The worker comes back after the window; the instances' background sent the rest meanwhile.
    await clock.sleep(30_000);
    const second = await Promise.all([deleteUsers(appA, body), deleteUsers(appB, body)]);
    t.strictSame(second, [SUCCESS, SUCCESS]);

    const all = await receivedDeletions(mock, clock);
    t.equal(all.length, 10, 'ten requests: nobody twice');
    t.strictSame(all.filter((r) => r.status === 429).length, 0, 'the mock never refused one for its rate');
    const accepted = new Map<string, number>();
    for (const r of all) if (r.accepted && r.email !== null) accepted.set(r.email, (accepted.get(r.email) ?? 0) + 1);
    t.strictSame([...accepted.keys()].sort(), people(10).map((p) => p.email).sort(), 'everyone accepted');
    t.strictSame([...accepted.values()], Array(10).fill(1), 'each once');
    const most = mostInWindow(all.map((r) => r.at), 61_000);
    t.ok(most <= 6, `at most 6 arrivals in any 61 s (${most}): ${all.map((r) => r.at - clock.start).join(', ')}`);

    // A repeated call to either answers 200 at once and sends nothing.
    const at = clock.elapsed();
    t.strictSame(await Promise.all([deleteUsers(appA, body), deleteUsers(appB, body)]), [SUCCESS, SUCCESS]);
    t.equal(clock.elapsed(), at);
    t.equal((await receivedDeletions(mock, clock)).length, 10);
    // The apps stop their lanes before the stores close (teardowns run last first).
  });
}
