/**
 * Two instances sharing one store (an SQLite file; Postgres too when TEST_POSTGRES_URL is set)
 * serve the same jobs at the same time, over and over until both answer 200, in virtual time:
 * however their claims interleave, and although one instance completes a job while the other
 * still holds some of its people, no person reaches Ometria twice.
 */
import t, { type Test } from 'tap';
import { join } from 'node:path';
import { storeFolder } from '../helpers/app.js';
import { deleteUsers, erasureApp, job, mockDeletions, openedStore, people } from '../helpers/erasure.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { withMock } from '../helpers/mock-client.js';
import { postgresUrl, testPostgresUrl } from '../helpers/postgres.js';

/** Both instances called at once for the same job, every `everyMs`, until both answer 200. */
async function untilBothDone(t: Test, location: string, count: number, everyMs: number): Promise<void> {
  const clock = new FakeClock();
  const mock = await withMock(t, { clock: clock.now });
  const apps = [
    await erasureApp(t, clock, mock, { store: await openedStore(t, location), env: { DELETION_WAIT_MS: '5000' } }),
    await erasureApp(t, clock, mock, { store: await openedStore(t, location), env: { DELETION_WAIT_MS: '5000' } }),
  ];
  const body = job(`job-${count}`, people(count));
  let answers: number[] = [];
  for (let round = 0; round < 40; round++) {
    answers = (await Promise.all(apps.map((app) => deleteUsers(app, body)))).map((answer) => answer.status);
    for (const status of answers) t.ok(status === 200 || status === 500, `round ${round}: ${status}`);
    if (answers.every((status) => status === 200)) break;
    await clock.sleep(everyMs);
  }
  t.strictSame(answers, [200, 200], 'both end 200');
  const seen = await mockDeletions(mock, clock);
  t.strictSame(Object.values(seen.accepted), Array(count).fill(1), `${count} people: each accepted once`);
  t.equal(seen.received.length, count, 'no request beyond one per person');
}

const stores: [string, (t: Test) => Promise<string | undefined>][] = [
  ['SQLite', async (t) => join(storeFolder(t), 'erasure.sqlite')],
  ['Postgres', postgresUrl],
];

for (const [name, location] of stores) {
  // Without TEST_POSTGRES_URL the Postgres half is skipped; test/postgres-notice.mjs says so once.
  t.test(`${name}: two instances, the same job at once until both answer 200`, { skip: name === 'Postgres' && testPostgresUrl === undefined && 'TEST_POSTGRES_URL unset' }, async (t) => {
    for (const [count, everyMs] of [
      [1, 1_000],
      [2, 500],
      [5, 7_000],
      [8, 20_000],
    ] as const) {
      await t.test(`${count} people, called every ${everyMs} ms`, async (t) => untilBothDone(t, (await location(t)) as string, count, everyMs));
    }
  });
}
