import t from 'tap';
import type { DeliveryVerdict, RecordError } from '../../src/core/destination.js';
import { isolateRejected, rejectedTogether, repushBound, type IsolationPlan } from '../../src/core/delivery/isolation.js';

/**
 * A destination that rejects the records whose id is in `bad`, answers every push with its
 * counts and a request id, and lists one error per rejected record of a push.
 */
function destination(bad: ReadonlySet<string>, options: { failCall?: number; deadlineAfter?: number } = {}) {
  let calls = 0;
  let clock = 0;
  const pushes: string[][] = [];
  const listed = new Map<string, RecordError[]>();
  const verdictOf = (ids: string[]): DeliveryVerdict => {
    calls += 1;
    clock += 1;
    const requestId = `req-${calls}`;
    if (calls === options.failCall) return { delivered: false, status: 500, category: 'retryable', message: 'Ometria failed (HTTP 500, 3 attempts)' };
    const rejected = ids.filter((id) => bad.has(id));
    listed.set(requestId, rejected.map((id) => ({ message: `rejected ${id}`, path: 'root > email' })));
    const counts = { requestId, accepted: ids.length - rejected.length, rejected: rejected.length };
    return rejected.length > 0
      ? { delivered: false, status: 400, category: 'rejected', message: `Ometria rejected ${rejected.length} of ${ids.length} records (request_id ${requestId})`, counts }
      : { delivered: true, status: 200, category: 'delivered', message: `Ometria accepted ${ids.length} records (request_id ${requestId})`, counts };
  };
  const idsOf = (records: readonly string[]) => records.map((r) => (JSON.parse(r) as { id: string }).id);
  const plan: IsolationPlan = {
    displayName: 'Ometria',
    deadline: options.deadlineAfter ?? Number.POSITIVE_INFINITY,
    now: () => clock,
    send: async (records) => {
      pushes.push(idsOf(records));
      return verdictOf(idsOf(records));
    },
    readErrors: async (requestId) => listed.get(requestId),
  };
  return { plan, first: (records: readonly string[]) => verdictOf(idsOf(records)), pushes };
}

const records = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ id: `r${i + 1}` }));

const rejectedText = (requestId: string, id: string) =>
  `Ometria rejected this record (request_id ${requestId}, 0 accepted, 1 rejected): rejected ${id} (at root > email)`;

t.test('one rejected record of 100: it alone is rejected, with its error; the 99 others are delivered', async (t) => {
  const d = destination(new Set(['r37']));
  const batch = records(100);
  const whole = d.first(batch);
  const { verdicts, repushes } = await isolateRejected(batch, whole, d.plan);
  t.ok(repushes <= repushBound(1, 100), `${repushes} re-pushes, bound ${repushBound(1, 100)}`);
  t.equal(repushes, 7, 'one half per level (the other follows from the counts)');
  t.strictSame(
    verdicts.map((v, i) => (v.delivered ? 200 : `${v.status} r${i + 1}`)).filter((s) => s !== 200),
    ['400 r37'],
  );
  t.notOk(d.pushes.some((p) => p.length === 1 && p[0] === 'r37'), 'r37 was found by counts alone, never pushed by itself');
  // Every push holding r37 rejected only it: the last one's errors (two records, r37 and a neighbour) are r37's.
  t.match(verdicts[36]?.message, /^Ometria rejected this record \(request_id req-\d+, 1 accepted, 1 rejected\): rejected r37 \(at root > email\)$/);
  t.match(verdicts[0]?.message, /^Ometria accepted this record \(request_id req-\d+\)$/);
});

t.test('three rejected of 100 and all 100 rejected: each stands alone, within the bound', async (t) => {
  for (const bad of [new Set(['r1', 'r50', 'r100']), new Set(records(100).map((r) => (JSON.parse(r) as { id: string }).id))]) {
    const d = destination(bad);
    const batch = records(100);
    const { verdicts, repushes } = await isolateRejected(batch, d.first(batch), d.plan);
    t.ok(repushes <= repushBound(bad.size, 100), `${bad.size} rejected: ${repushes} re-pushes, bound ${repushBound(bad.size, 100)}`);
    const statuses = verdicts.map((v) => v.status);
    t.strictSame(statuses, batch.map((r) => (bad.has((JSON.parse(r) as { id: string }).id) ? 400 : 200)), `${bad.size} rejected: statuses`);
    for (const [i, v] of verdicts.entries()) {
      if (v.status === 400) t.match(v.message, new RegExp(`^Ometria rejected this record \\(request_id req-\\d+, 0 accepted, 1 rejected\\): rejected r${i + 1} \\(at root > email\\)$`));
    }
  }
});

t.test('a re-push that fails gives its records that failure; the rest are still told apart', async (t) => {
  const d = destination(new Set(['r10']), { failCall: 2 });
  const batch = records(100);
  const { verdicts } = await isolateRejected(batch, d.first(batch), d.plan);
  // Call 2 was the first re-push: the left half, r1–r50.
  t.strictSame(
    [...new Set(verdicts.slice(0, 50).map((v) => `${v.status} ${v.message}`))],
    ['500 Ometria failed (HTTP 500, 3 attempts)'],
    'the failed half keeps the failure (retryable, not known delivered)',
  );
  t.strictSame([...new Set(verdicts.slice(50).map((v) => v.status))], [200], 'the other half was pushed and delivered');
});

t.test('the deadline reached mid-way: the records not yet told apart are retried, never rejected', async (t) => {
  const d = destination(new Set(['r5', 'r90']), { deadlineAfter: 3 });
  const batch = records(100);
  const whole = d.first(batch);
  const { verdicts, repushes } = await isolateRejected(batch, whole, d.plan);
  t.equal(repushes, 2, 'two re-pushes before the deadline');
  // Re-push 1: r1–r50 (r5 in it), re-push 2: r1–r25; then the clock is at the deadline.
  const kept = `500 ${whole.message} (not told apart: the delivery deadline was reached; whether this record was accepted is not known, so it is retried)`;
  const accepted = (v: DeliveryVerdict) => (v.status === 200 ? 'accepted' : `${v.status} ${v.message}`);
  t.strictSame([...new Set(verdicts.slice(0, 25).map(accepted))], [kept], 'r1–r25 (with r5) not told apart: retried');
  t.strictSame([...new Set(verdicts.slice(25, 50).map(accepted))], ['accepted'], 'r26–r50 follow from the counts: accepted');
  t.strictSame([...new Set(verdicts.slice(50).map(accepted))], [kept], 'r51–r100 (with r90) not told apart: retried');
  t.strictSame([...new Set(verdicts.filter((v) => !v.delivered).map((v) => v.category))], ['retryable']);
});

t.test('a re-push the time left does not allow is not made: the records not yet told apart are retried', async (t) => {
  const d = destination(new Set(['r3']));
  let allowed = 2;
  const plan: IsolationPlan = { ...d.plan, send: async (part, deadline) => (allowed-- > 0 ? d.plan.send(part, deadline) : undefined) };
  const batch = records(16);
  const { verdicts, repushes } = await isolateRejected(batch, d.first(batch), plan);
  t.equal(repushes, 2, 'the re-push that was not sent is not counted');
  // r1–r8 (r3 in it), then r1–r4 (r3 in it); r5–r16 follow from the counts; r1–r4 not told apart.
  t.strictSame(verdicts.map((v) => v.status), [500, 500, 500, 500, ...Array<number>(12).fill(200)]);
  t.match(verdicts[0]?.message, /\(not told apart: the time left before the delivery deadline did not allow another re-push; whether this record was accepted is not known, so it is retried\)$/);
});

t.test('the reason of a record rejected alone: listed, none listed, unreadable for good, or not read this time', async (t) => {
  const batch = records(1);
  const whole: DeliveryVerdict = {
    delivered: false,
    status: 400,
    category: 'rejected',
    message: 'Ometria rejected 1 of 1 records',
    counts: { requestId: 'q1', accepted: 0, rejected: 1 },
  };
  const alone = (readErrors: IsolationPlan['readErrors']) =>
    isolateRejected(batch, whole, {
      displayName: 'Ometria',
      deadline: Number.POSITIVE_INFINITY,
      send: async () => t.fail('nothing is re-pushed') as never,
      ...(readErrors === undefined ? {} : { readErrors }),
    }).then(({ verdicts }) => `${verdicts[0]?.status} ${verdicts[0]?.message}`);
  const head = 'Ometria rejected this record (request_id q1, 0 accepted, 1 rejected)';
  t.equal(await alone(async () => [{ message: 'Invalid email', path: 'root > email' }]), `400 ${head}: Invalid email (at root > email)`);
  t.equal(await alone(async () => []), `400 ${head}; Ometria gave no reason (its error list has nothing for this push)`);
  t.equal(await alone(async () => undefined), `400 ${head}; Ometria's error list could not be read, so its reason is not known`);
  t.equal(
    await alone(async () => {
      throw new Error('no answer (ECONNRESET)');
    }),
    `500 ${head}, but its reason could not be read (no answer (ECONNRESET)); retried so that it can be`,
  );
});

t.test('records not told apart (v0): all rejected is rejected with the reasons, some rejected is retried', async (t) => {
  const rejected = (accepted: number, count: number): DeliveryVerdict => ({
    delivered: false,
    status: 400,
    category: 'rejected',
    message: `Ometria rejected ${count} of ${accepted + count} records`,
    counts: { requestId: 'q9', accepted, rejected: count },
  });
  const plan: IsolationPlan = {
    displayName: 'Ometria',
    deadline: Number.POSITIVE_INFINITY,
    send: async () => t.fail('nothing is re-pushed') as never,
    readErrors: async () => [{ message: 'Bad email', path: 'root > email' }, { message: 'Bad id' }],
  };
  const why = 'A v0 answer has one status for every job of the push';
  t.match(await rejectedTogether(rejected(0, 3), 3, why, plan), {
    status: 400,
    category: 'rejected',
    message: 'Ometria rejected every record of this push (request_id q9, 0 accepted, 3 rejected): Bad email (at root > email); Bad id',
  });
  t.match(await rejectedTogether(rejected(2, 1), 3, why, plan), {
    status: 500,
    category: 'retryable',
    message: `Ometria rejected 1 of 3 records. ${why}: whether this job's record was accepted is not known, so it is retried`,
  });
  const delivered: DeliveryVerdict = { delivered: true, status: 200, category: 'delivered', message: 'ok' };
  t.equal(await rejectedTogether(delivered, 3, why, plan), delivered, 'anything else is the push’s own verdict');
});

t.test('the bound is never passed, even when the destination’s counts do not add up', async (t) => {
  let calls = 0;
  const liar: IsolationPlan = {
    displayName: 'Ometria',
    deadline: Number.POSITIVE_INFINITY,
    // Every push "rejects" all but one of its records: counts that never settle.
    send: async (part) => {
      calls += 1;
      return { delivered: false, status: 400, category: 'rejected', message: 'rejected', counts: { requestId: `q${calls}`, accepted: 1, rejected: part.length - 1 } };
    },
  };
  const batch = records(16);
  const whole: DeliveryVerdict = { delivered: false, status: 400, category: 'rejected', message: 'whole', counts: { requestId: 'q0', accepted: 15, rejected: 1 } };
  const { repushes } = await isolateRejected(batch, whole, liar);
  t.ok(repushes <= repushBound(1, 16), `${repushes} re-pushes, bound ${repushBound(1, 16)}`);
});

t.test('nothing to tell apart: delivered pushes, failures and single records keep their verdict', async (t) => {
  const d = destination(new Set());
  const delivered = d.first(records(3));
  t.strictSame((await isolateRejected(records(3), delivered, d.plan)).verdicts, [delivered, delivered, delivered]);
  const failed: DeliveryVerdict = { delivered: false, status: 429, category: 'throttled', message: 'throttled' };
  t.strictSame((await isolateRejected(records(2), failed, d.plan)).repushes, 0);
  const one = destination(new Set(['r1']));
  const single = one.first(records(1));
  const { verdicts, repushes } = await isolateRejected(records(1), single, one.plan);
  t.equal(repushes, 0, 'a single record is already alone');
  t.equal(verdicts[0]?.message, rejectedText('req-1', 'r1'));
});
