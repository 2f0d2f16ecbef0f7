import type { DeliveryVerdict, PushCounts, RecordError } from '../destination.js';

/** How to re-push part of a batch and read a push's per-record errors. */
export interface IsolationPlan {
  /** The destination's name for messages (its displayName). */
  readonly displayName: string;
  /**
   * Pushes these records (JSON texts, in batch order) as one request, within `deadline` (epoch
   * ms); undefined when it was not sent because the time left did not allow it.
   */
  send(records: readonly string[], deadline: number): Promise<DeliveryVerdict | undefined>;
  /**
   * The per-record errors the destination lists for a push, read within `deadline`: resolves them
   * (none when it lists none), or undefined when they cannot be read at all; rejects when they
   * could not be read this time (no time left, no answer), which a later try may.
   */
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

/** How many reasons a verdict lists for a push whose records were all rejected together. */
const MAX_REASONS = 10;

function reasonsText(errors: readonly RecordError[]): string {
  const listed = errors.slice(0, MAX_REASONS).map((e) => (e.path === undefined ? e.message : `${e.message} (at ${e.path})`));
  const more = errors.length - listed.length;
  return more > 0 ? `${listed.join('; ')}; and ${more} more` : listed.join('; ');
}

/**
 * The verdict of records the destination rejected, with its reasons: read once from its error
 * list, within the plan's deadline. Rejected with the reasons, or with "gave no
 * reason" when the list has none for the push; a record whose reason could not be read this time
 * is retried instead (a later attempt reads it), so that no record ends rejected without it
 * unless the destination cannot list reasons at all.
 */
async function rejectedWithReasons(own: PushCounts, subject: string, plan: IsolationPlan): Promise<DeliveryVerdict> {
  const now = plan.now ?? Date.now;
  const name = plan.displayName;
  const what = `${name} rejected ${subject} (request_id ${own.requestId}, ${own.accepted} accepted, ${own.rejected} rejected)`;
  let errors: RecordError[] | undefined;
  try {
    if (now() >= plan.deadline) throw new Error('no time was left before the delivery deadline');
    errors = plan.readErrors === undefined ? [] : await plan.readErrors(own.requestId, plan.deadline);
  } catch (error) {
    return {
      delivered: false,
      status: 500,
      category: 'retryable',
      message: `${what}, but its reason could not be read (${error instanceof Error ? error.message : String(error)}); retried so that it can be`,
    };
  }
  const why =
    errors === undefined
      ? `; ${name}'s error list could not be read, so its reason is not known`
      : errors.length === 0
        ? `; ${name} gave no reason (its error list has nothing for this push)`
        : `: ${reasonsText(errors)}`;
  return {
    delivered: false,
    status: 400,
    category: 'rejected',
    message: `${what}${why}`,
    counts: own,
    ...(errors === undefined ? {} : { answer: { errors } }),
  };
}

/**
 * One verdict for every record of a push whose records cannot be told apart (a v0 proxy answer
 * has one status for all its jobs; `why` says so): the push's own, except when it rejected some
 * records. Then, when every record was rejected (`records` of them, when known), each was, with
 * the reasons the destination lists; when only some were, whether a given record was accepted is
 * not known, so every one is retried (re-pushing accepted records is safe), never rejected.
 */
export async function rejectedTogether(whole: DeliveryVerdict, records: number | undefined, why: string, plan: IsolationPlan): Promise<DeliveryVerdict> {
  const counts = whole.counts;
  if (whole.category !== 'rejected' || counts === undefined || counts.rejected <= 0) return whole;
  const every = counts.accepted === 0 && (records === undefined || counts.rejected >= records);
  if (every) return rejectedWithReasons(counts, records === 1 ? 'this record' : 'every record of this push', plan);
  return {
    delivered: false,
    status: 500,
    category: 'retryable',
    message: `${whole.message}. ${why}: whether this job's record was accepted is not known, so it is retried`,
  };
}

/**
 * The records of a push the destination answered "received, but r rejected" (without saying
 * which), told apart by halving: halves are pushed again until every rejected record stands
 * alone, in a push of its own or by the counts; the others are then known accepted. Pushes are upserts by id, so
 * re-sending accepted records is safe. A half whose count follows from its parent's and its
 * sibling's is not pushed (rejection is a property of the record). A re-push that fails (after the
 * client's retries) gives its records that failure's verdict: neither acceptance nor rejection is
 * known, and a retry is safe. When the bound or the deadline is reached, or the time left does not
 * allow another re-push, the records not yet told apart are not known to be accepted or rejected:
 * they are retried (500), never rejected. Each rejected record gets the request id of the last push
 * that rejected it and no other record, and the errors the destination lists for that push
 * (rejectedWithReasons).
 */
export async function isolateRejected(records: readonly string[], whole: DeliveryVerdict, plan: IsolationPlan): Promise<Isolation> {
  const now = plan.now ?? Date.now;
  const verdicts = new Array<DeliveryVerdict>(records.length).fill(whole);
  const counts = whole.counts;
  if (whole.category !== 'rejected' || counts === undefined || counts.rejected <= 0) return { verdicts, repushes: 0 };

  let budget = repushBound(counts.rejected, records.length);
  let repushes = 0;
  const fill = (lo: number, hi: number, verdict: DeliveryVerdict) => verdicts.fill(verdict, lo, hi);
  const unresolved = (why: string): DeliveryVerdict => ({
    delivered: false,
    status: 500,
    category: 'retryable',
    message: `${whole.message} (not told apart: ${why}; whether this record was accepted is not known, so it is retried)`,
  });

  const accepted = (source: PushCounts): DeliveryVerdict => ({
    delivered: true,
    status: 200,
    category: 'delivered',
    message: `${plan.displayName} accepted this record (request_id ${source.requestId})`,
  });

  // Every record gets its own verdict below; none is left rejected without having been told apart.
  fill(0, records.length, unresolved('it was not reached'));
  // Once a re-push may not be made, why: every record not yet told apart is retried.
  let stopped: DeliveryVerdict | undefined;

  /** A re-push of records [lo, hi), or undefined (the records retried) when none may be made. */
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
    if (verdict === undefined) {
      repushes -= 1;
      stopped = unresolved('the time left before the delivery deadline did not allow another re-push');
      fill(lo, hi, stopped);
      return undefined;
    }
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
   * `sole`: the last push made that held all of them and rejected exactly one record. When one of
   * them is rejected, it is that one, so that push's errors are its own: a record found rejected
   * by counts alone is not pushed again by itself to read its reason.
   */
  const settle = async (
    lo: number,
    hi: number,
    rejected: number | undefined,
    own: DeliveryVerdict | undefined,
    parent: PushCounts,
    sole: PushCounts | undefined,
  ): Promise<void> => {
    if (rejected === undefined || (hi - lo === 1 && rejected > 0 && own === undefined && sole === undefined)) {
      own = await push(lo, hi);
      if (own === undefined) return;
      // A failed re-push, or an answer that cannot be split further: its records keep it.
      if (own.counts === undefined || (own.category === 'rejected' && own.counts.rejected === 0)) {
        fill(lo, hi, own);
        return;
      }
      rejected = own.counts.rejected;
      if (rejected === 1) sole = own.counts;
    }
    const known = own?.counts ?? parent;
    if (rejected === 0) {
      fill(lo, hi, accepted(known));
      return;
    }
    if (hi - lo === 1) {
      verdicts[lo] = await rejectedAlone(own?.counts ?? sole ?? known);
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
      await settle(mid, hi, undefined, undefined, known, undefined);
      return;
    }
    const leftRejected = left.counts.rejected;
    const rightRejected = rejected - leftRejected;
    await settle(lo, mid, leftRejected, left, known, leftRejected === 1 ? left.counts : sole);
    // Inconsistent counts (the destination changed its mind) are not trusted: push the half.
    const inferred = rightRejected >= 0 && rightRejected <= hi - mid ? rightRejected : undefined;
    await settle(mid, hi, inferred, undefined, known, inferred === undefined ? undefined : sole);
  };

  /**
   * A record found rejected, with the reasons listed for a push in which it was the only one
   * rejected: read right away, while that push is among the destination's most recent errors.
   */
  const rejectedAlone = (own: PushCounts): Promise<DeliveryVerdict> => rejectedWithReasons(own, 'this record', plan);

  await settle(0, records.length, counts.rejected, whole, counts, counts.rejected === 1 ? counts : undefined);

  return { verdicts, repushes };
}
