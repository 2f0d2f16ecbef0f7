import type { DeliveryVerdict, PushCounts, RecordError } from './destination.js';

/** How to re-push part of a batch and read a push's per-record errors. */
export interface IsolationPlan {
  /** The destination's name for messages, e.g. "Ometria". */
  readonly displayName: string;
  /** Pushes these records (JSON texts, in batch order) as one request, within `deadline` (epoch ms). */
  send(records: readonly string[], deadline: number): Promise<DeliveryVerdict>;
  /** The per-record errors the destination lists for a push; undefined when they cannot be read. */
  readErrors?(requestId: string, deadline: number): Promise<RecordError[] | undefined>;
  /** When the whole batch's delivery must be over (epoch ms). */
  readonly deadline: number;
  readonly now?: () => number;
  /** Told about every re-push and its verdict (metrics). */
  readonly onRepush?: (verdict: DeliveryVerdict) => void;
}

export interface Isolation {
  /** One verdict per record, in batch order. */
  readonly verdicts: DeliveryVerdict[];
  /** Pushes made after the first. */
  readonly repushes: number;
}

/**
 * At most 2·r·⌈log2 n⌉ + 2 re-pushes for r rejected records of n: each level of the halving
 * pushes at most two halves per rejected record.
 */
export function repushBound(rejected: number, records: number): number {
  return 2 * rejected * Math.ceil(Math.log2(Math.max(1, records))) + 2;
}

/**
 * The records of a push the destination answered "received, but r rejected" (without saying
 * which), told apart by halving: each half is pushed again until every rejected record stands
 * alone in a push of its own; the others are then known accepted. Pushes are upserts by id, so
 * re-sending accepted records is safe. A half whose count follows from its parent's and its
 * sibling's is not pushed (rejection is a property of the record). A re-push that fails (after the
 * client's retries) gives its records that failure's verdict: neither acceptance nor rejection is
 * known, and a retry is safe. When the bound or the deadline is reached, the records not yet told
 * apart keep the whole push's verdict. Each record that stands alone gets its push's request id
 * and, read once and best effort, the destination's error message and path.
 */
export async function isolateRejected(records: readonly string[], whole: DeliveryVerdict, plan: IsolationPlan): Promise<Isolation> {
  const now = plan.now ?? Date.now;
  const verdicts = new Array<DeliveryVerdict>(records.length).fill(whole);
  const counts = whole.counts;
  if (whole.category !== 'rejected' || counts === undefined || counts.rejected <= 0) return { verdicts, repushes: 0 };

  let budget = repushBound(counts.rejected, records.length);
  let repushes = 0;
  const fill = (lo: number, hi: number, verdict: DeliveryVerdict) => verdicts.fill(verdict, lo, hi);
  const unresolved = (why: string): DeliveryVerdict => ({ ...whole, message: `${whole.message} (not told apart: ${why})` });

  const accepted = (source: PushCounts): DeliveryVerdict => ({
    delivered: true,
    status: 200,
    category: 'delivered',
    message: `${plan.displayName} accepted this record (request_id ${source.requestId})`,
  });

  // Once a re-push may not be made, why: every record not yet told apart keeps the whole verdict.
  let stopped: DeliveryVerdict | undefined;

  /** A re-push of records [lo, hi), or undefined (the records keeping the whole verdict) when none may be made. */
  const push = async (lo: number, hi: number): Promise<DeliveryVerdict | undefined> => {
    if (stopped === undefined && budget <= 0) stopped = unresolved(`the bound of ${repushBound(counts.rejected, records.length)} re-pushes was reached`);
    if (stopped === undefined && now() >= plan.deadline) stopped = unresolved('the delivery deadline was reached');
    if (stopped !== undefined) {
      fill(lo, hi, stopped);
      return undefined;
    }
    budget -= 1;
    repushes += 1;
    const verdict = await plan.send(records.slice(lo, hi), plan.deadline);
    plan.onRepush?.(verdict);
    // Cut short by the deadline: nothing was learnt, as if the re-push had not been made.
    if (verdict.counts === undefined && now() >= plan.deadline) {
      stopped = unresolved('the delivery deadline was reached');
      fill(lo, hi, stopped);
      return undefined;
    }
    return verdict;
  };

  /**
   * Records [lo, hi): `rejected` is how many of them were rejected when it follows from the
   * pushes made so far (undefined when it does not), `own` their own push's answer if any.
   */
  const settle = async (lo: number, hi: number, rejected: number | undefined, own: DeliveryVerdict | undefined, parent: PushCounts): Promise<void> => {
    if (rejected === undefined || (hi - lo === 1 && rejected > 0 && own === undefined)) {
      own = await push(lo, hi);
      if (own === undefined) return;
      // A failed re-push, or an answer that cannot be split further: its records keep it.
      if (own.counts === undefined || (own.category === 'rejected' && own.counts.rejected === 0)) {
        fill(lo, hi, own);
        return;
      }
      rejected = own.counts.rejected;
    }
    const known = own?.counts ?? parent;
    if (rejected === 0) {
      fill(lo, hi, accepted(known));
      return;
    }
    if (hi - lo === 1) {
      verdicts[lo] = await rejectedAlone(known);
      return;
    }
    const mid = lo + Math.ceil((hi - lo) / 2);
    const left = await push(lo, mid);
    if (left === undefined) {
      fill(mid, hi, stopped as DeliveryVerdict);
      return;
    }
    if (left.counts === undefined || (left.category === 'rejected' && left.counts.rejected === 0)) {
      fill(lo, mid, left);
      await settle(mid, hi, undefined, undefined, known);
      return;
    }
    const leftRejected = left.counts.rejected;
    const rightRejected = rejected - leftRejected;
    await settle(lo, mid, leftRejected, left, known);
    // Inconsistent counts (the destination changed its mind) are not trusted: push the half.
    const inferred = rightRejected >= 0 && rightRejected <= hi - mid ? rightRejected : undefined;
    await settle(mid, hi, inferred, undefined, known);
  };

  /**
   * A record rejected in a push of its own, with the destination's reason when it lists one: read
   * right away, while the push is among the destination's most recent errors.
   */
  const rejectedAlone = async (own: PushCounts): Promise<DeliveryVerdict> => {
    const errors = now() < plan.deadline ? await plan.readErrors?.(own.requestId, plan.deadline).catch(() => undefined) : undefined;
    const why =
      errors === undefined || errors.length === 0
        ? `; ${plan.displayName} lists no reason for it`
        : `: ${errors.map((e) => (e.path === undefined ? e.message : `${e.message} (at ${e.path})`)).join('; ')}`;
    return {
      delivered: false,
      status: 400,
      category: 'rejected',
      message: `${plan.displayName} rejected this record (request_id ${own.requestId}, ${own.accepted} accepted, ${own.rejected} rejected)${why}`,
      counts: own,
      ...(errors === undefined ? {} : { answer: { errors } }),
    };
  };

  await settle(0, records.length, counts.rejected, whole, counts);

  return { verdicts, repushes };
}
