/**
 * Properties of isolateRejected (src/core/delivery/isolation.ts), for random batches: n records,
 * a random subset rejected, every push answered as Ometria would (its accepted and rejected
 * counts, a request id, one listed error per rejected record), on a fake clock that moves one tick
 * a push. With time enough, every rejected record ends rejected (400) and every other delivered
 * (200), within the re-push bound 2·r·⌈log2 n⌉ + 2. With a short budget (a deadline a few pushes
 * away, re-pushes that fail or are throttled, a re-push the time left does not allow), no accepted
 * record is ever 400: what is not told apart is retried (500, or the failure's 429).
 */
import t from 'tap';
import fc from 'fast-check';
import type { DeliveryVerdict, RecordError } from '../../src/core/destination.js';
import { isolateRejected, repushBound, type IsolationPlan } from '../../src/core/delivery/isolation.js';

const SEED = 1805;
const RUNS = 300;

/** A batch: n records, ids r0…r(n-1), `bad` the indices Ometria rejects. */
interface Batch {
  readonly n: number;
  readonly bad: ReadonlySet<number>;
}

/** How a re-push may go wrong: the k-th re-push fails (500) or is throttled (429), or is not sent. */
interface Trouble {
  /** The clock tick (one a push, the first push included) at which the deadline falls; Infinity = none. */
  readonly deadlineAfter: number;
  /** Re-push number (1-based) → what happens to it instead of an answer with counts. */
  readonly faults: ReadonlyMap<number, 'failed' | 'throttled' | 'not sent'>;
}

const batchArb: fc.Arbitrary<Batch> = fc
  .integer({ min: 1, max: 160 })
  .chain((n) =>
    fc
      .oneof(
        // Few rejected (the usual case), or any subset.
        fc.uniqueArray(fc.nat(n - 1), { maxLength: Math.min(n, 4) }),
        fc.uniqueArray(fc.nat(n - 1), { maxLength: n }),
      )
      .map((bad) => ({ n, bad: new Set(bad) })),
  );

const troubleArb: fc.Arbitrary<Trouble> = fc.record({
  deadlineAfter: fc.integer({ min: 1, max: 12 }),
  faults: fc
    .array(fc.tuple(fc.integer({ min: 1, max: 12 }), fc.constantFrom('failed' as const, 'throttled' as const, 'not sent' as const)), { maxLength: 3 })
    .map((list) => new Map(list)),
});

const idOf = (record: string) => (JSON.parse(record) as { id: number }).id;

/** Ometria, as far as isolation sees it, behind a fake clock and `trouble`. */
function ometria(batch: Batch, trouble: Trouble = { deadlineAfter: Number.POSITIVE_INFINITY, faults: new Map() }) {
  let clock = 0;
  let calls = 0;
  const listed = new Map<string, RecordError[]>();
  const answer = (records: readonly string[]): DeliveryVerdict => {
    calls += 1;
    clock += 1;
    const requestId = `req-${calls}`;
    const rejected = records.map(idOf).filter((id) => batch.bad.has(id));
    listed.set(
      requestId,
      rejected.map((id) => ({ message: `rejected r${id}`, path: 'root > id' })),
    );
    const counts = { requestId, accepted: records.length - rejected.length, rejected: rejected.length };
    return rejected.length > 0
      ? { delivered: false, status: 400, category: 'rejected', message: `Ometria rejected ${rejected.length} of ${records.length} records (request_id ${requestId})`, counts }
      : { delivered: true, status: 200, category: 'delivered', message: `Ometria accepted ${records.length} records (request_id ${requestId})`, counts };
  };
  let repushes = 0;
  const plan: IsolationPlan = {
    displayName: 'Ometria',
    deadline: trouble.deadlineAfter,
    now: () => clock,
    send: async (records) => {
      repushes += 1;
      const fault = trouble.faults.get(repushes);
      if (fault === 'not sent') return undefined;
      if (fault === 'failed') {
        clock += 1;
        return { delivered: false, status: 500, category: 'retryable', message: 'Ometria failed (HTTP 500, 3 attempts)' };
      }
      if (fault === 'throttled') {
        clock += 1;
        return { delivered: false, status: 429, category: 'throttled', message: 'Ometria throttled (HTTP 429)' };
      }
      return answer(records);
    },
    readErrors: async (requestId) => listed.get(requestId),
  };
  const records = Array.from({ length: batch.n }, (_, id) => JSON.stringify({ id }));
  return { plan, records, first: () => answer(records) };
}

const describe = (b: Batch) => `n ${b.n}, rejected [${[...b.bad].sort((x, y) => x - y).join(', ')}]`;

t.test(`with time enough: rejected records 400, the others 200, within the bound (seed ${SEED})`, async (t) => {
  let closest = 0;
  await fc.assert(
    fc.asyncProperty(batchArb, async (batch) => {
      const o = ometria(batch);
      const { verdicts, repushes } = await isolateRejected(o.records, o.first(), o.plan);
      const bound = repushBound(batch.bad.size, batch.n);
      if (repushes > bound) throw new Error(`${describe(batch)}: ${repushes} re-pushes, bound ${bound}`);
      closest = Math.max(closest, repushes / bound);
      for (const [id, v] of verdicts.entries()) {
        const want = batch.bad.has(id) ? 400 : 200;
        if (v.status !== want) throw new Error(`${describe(batch)}: r${id} got ${v.status} (${v.message}), want ${want}`);
        // A rejected record carries its own reason: the push named rejected it and nothing else.
        if (want === 400 && !v.message.endsWith(`: rejected r${id} (at root > id)`)) throw new Error(`${describe(batch)}: r${id}: ${v.message}`);
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
  t.pass(`${RUNS} batches told apart; the most re-pushes were ${Math.round(closest * 100)}% of the bound`);
});

t.test(`with a short budget: no accepted record is ever 400, and the bound holds (seed ${SEED + 1})`, async (t) => {
  let retried = 0;
  await fc.assert(
    fc.asyncProperty(batchArb, troubleArb, async (batch, trouble) => {
      const o = ometria(batch, trouble);
      const { verdicts, repushes } = await isolateRejected(o.records, o.first(), o.plan);
      const bound = repushBound(batch.bad.size, batch.n);
      const where = `${describe(batch)}, deadline ${trouble.deadlineAfter}, faults ${JSON.stringify([...trouble.faults])}`;
      if (repushes > bound) throw new Error(`${where}: ${repushes} re-pushes, bound ${bound}`);
      for (const [id, v] of verdicts.entries()) {
        if (v.status === 200) {
          if (batch.bad.has(id) || !v.delivered) throw new Error(`${where}: r${id} (rejected by Ometria) got 200: ${v.message}`);
        } else if (v.status === 400) {
          if (!batch.bad.has(id)) throw new Error(`${where}: r${id} (accepted by Ometria) got 400: ${v.message}`);
          if (v.category !== 'rejected') throw new Error(`${where}: r${id}: 400 but ${v.category}`);
        } else {
          // Not known: retried, by the failure's own status or as not told apart.
          if (![500, 429].includes(v.status) || v.delivered) throw new Error(`${where}: r${id} got ${v.status}: ${v.message}`);
          retried += 1;
        }
      }
    }),
    { seed: SEED + 1, numRuns: RUNS },
  );
  t.ok(retried > 0, `the budget ran out in some runs (${retried} records retried in all)`);
});
