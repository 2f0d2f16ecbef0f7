import pLimit from 'p-limit';
import type { DeliveryEntry } from '../../../schemas/deliver.js';
import type { DeliveryClient, HttpResult } from '../delivery-client.js';
import { batchEvents } from '../transform/batching.js';
import type { DeliveryVerdict, DestinationDefinition, PushTarget } from '../destination.js';
import type { EventInput } from '../transform/event-input.js';
import { isolateRejected, rejectedTogether } from './isolation.js';
import { isPlainObject } from '../plain-object.js';
import { transformEvent, type PipelineHooks, type TransformedEvent } from '../transform/pipeline.js';

export interface DeliveryDeps {
  readonly client: DeliveryClient;
  /** Pushes in flight at once for one request. */
  readonly concurrency: number;
}

/** Where a batch of records goes, and for whom (a destination id, for the queue gauges). */
export interface RecordsTarget extends PushTarget {
  readonly label?: string;
}

const INTERNAL = 'Internal error while delivering this batch; see the service log';

/** Once per event (or proxy job) that was not delivered, with what the answer says of it. */
export function logUndelivered(log: PipelineHooks['log'], metadata: unknown, verdict: DeliveryVerdict): void {
  const { jobId, destinationId } = isPlainObject(metadata) ? metadata : {};
  log.warn({ jobId, destinationId, status: verdict.status, error: verdict.message }, 'event not delivered');
}

/** A batch as pushed first, and what re-pushes of parts of it are made of. */
export interface RecordsBatch {
  /** The first push's body, sent as given (the proxy relays RudderStack's bytes). */
  readonly body: string;
  /** Its records (JSON texts, in order) when the body is a JSON array of them; re-pushes join them. */
  readonly records: readonly string[] | undefined;
}

/** What became of a batch. */
export interface Pushed {
  /** The first push's answer (the v0 proxy relays it). */
  readonly result: HttpResult;
  /** The first push's verdict, as the destination read its answer. */
  readonly whole: DeliveryVerdict;
  /** One verdict per record, in order, when the records were to be told apart. */
  readonly verdicts: DeliveryVerdict[] | undefined;
  /**
   * The verdict of every record when they were not to be told apart: `whole`, unless it rejected
   * some records (rejectedTogether: all rejected, with reasons; only some, retried).
   */
  readonly joint: DeliveryVerdict;
}

/**
 * The time to keep after a push starts (ms): its answer, then `steps` more requests one after
 * another, each waiting for a rate-limit slot (ahead of first pushes) and for its answer.
 */
function roomAfterStart(client: DeliveryClient, steps: number): number {
  const answer = client.answerRoomMs();
  return answer + steps * (client.slotIntervalMs + answer);
}

/**
 * Pushes a batch as one request and answers one verdict per record (or one for all, `together`
 * saying why the records are not told apart). When the destination received the push but
 * rejected some records without saying which, they are told apart by re-pushing halves
 * (isolation.ts). Everything happens within `deadline`: epoch ms on the client's clock
 * (client.now()), so that a test's virtual clock moves deadlines and waits together. The time is
 * planned: the first push starts only while there is room left for its answer, the re-pushes
 * that would tell one rejected record apart and the look-up of its reason (at most half the
 * budget: a push that needs no wait always goes); when the rate limit has no slot that early, it
 * is not sent and every record is answered "throttled" (429) at once. Re-pushes and look-ups go
 * before first pushes waiting for the rate limit, each only while there is room for its answer
 * and one look-up; what the time does not allow is retried, never rejected.
 */
export async function pushRecords(
  def: DestinationDefinition,
  client: DeliveryClient,
  target: RecordsTarget,
  batch: RecordsBatch,
  deadline: number,
  hooks: Pick<PipelineHooks, 'onPush' | 'onRepush'>,
  together?: string,
): Promise<Pushed> {
  const rateKey = def.delivery.rateKey(target.headers);
  const { records } = batch;
  const post = (body: string, count: number | undefined, roomMs: number, urgent: boolean): Promise<HttpResult> =>
    client.post({
      url: target.endpoint,
      headers: target.headers,
      body,
      rateKey,
      deadlineMs: Math.max(0, deadline - client.now()),
      roomMs,
      urgent,
      ...(count === undefined ? {} : { records: count }),
      ...(target.label === undefined ? {} : { label: target.label }),
    });
  const apart = together === undefined && records !== undefined;
  const levels = apart && records.length > 1 ? Math.ceil(Math.log2(records.length)) : 0;
  const firstRoom = Math.max(0, Math.min(roomAfterStart(client, levels + 1), (deadline - client.now()) / 2));
  const result = await post(batch.body, records?.length, firstRoom, false);
  const whole = def.delivery.interpret(result);
  hooks.onPush?.(def, whole);
  const { readErrors } = def.delivery;
  const plan = {
    displayName: def.displayName,
    deadline,
    now: () => client.now(),
    send: async (part: readonly string[]): Promise<DeliveryVerdict | undefined> => {
      const sent = await post(`[${part.join(',')}]`, part.length, roomAfterStart(client, 1), true);
      // Nothing sent: the time left did not allow it.
      if (sent.kind === 'transport' && sent.attempts === 0) return undefined;
      return def.delivery.interpret(sent);
    },
    // The look-up's target carries the deadline: the destination's reader bounds its GET by it.
    ...(readErrors === undefined
      ? {}
      : {
          readErrors: (requestId: string, until: number) => {
            const lookup: PushTarget & { readonly deadline: number } = { endpoint: target.endpoint, headers: target.headers, deadline: until };
            return readErrors(client, lookup, requestId);
          },
        }),
    onRepush: (verdict: DeliveryVerdict) => hooks.onRepush?.(def, verdict),
  };
  if (!apart) {
    return { result, whole, verdicts: undefined, joint: await rejectedTogether(whole, records?.length, together ?? 'Its records are not told apart', plan) };
  }
  const { verdicts } = await isolateRejected(records, whole, plan);
  return { result, whole, verdicts, joint: whole };
}

/**
 * Transform, batch as the router does, push every batch, and answer one entry per input event, in
 * input order: each event is accounted for exactly once, whatever happened to its batch.
 */
export async function runDelivery(
  def: DestinationDefinition,
  inputs: readonly EventInput[],
  deps: DeliveryDeps,
  hooks: PipelineHooks,
): Promise<DeliveryEntry[]> {
  const { log } = hooks;
  const entries: DeliveryEntry[] = [];
  const positions = new Map<TransformedEvent, number>();
  const transformed: TransformedEvent[] = [];
  inputs.forEach((input, index) => {
    const outcome = transformEvent(def, input, hooks);
    if (outcome.ok) {
      positions.set(outcome, index);
      transformed.push(outcome);
      entries[index] = { metadata: input.metadata, statusCode: 0 };
    } else {
      entries[index] = { metadata: input.metadata, statusCode: outcome.error.statusCode, error: outcome.error.message };
      hooks.onDelivered?.(def, outcome.error.statusCode, 'invalid');
    }
  });
  const limit = pLimit(deps.concurrency);
  await Promise.all(
    batchEvents(def, transformed).map((batch) =>
      limit(async () => {
        const { endpoint, headers } = batch.request;
        const id = batch.events[0]?.destination.ID;
        const target = { endpoint, headers, ...(typeof id === 'string' ? { label: id } : {}) };
        const records = batch.events.map((event) => event.json);
        const deadline = deps.client.now() + deps.client.deadlineMs;
        const verdicts = await pushRecords(def, deps.client, target, { body: batch.request.body.JSON_ARRAY.batch, records }, deadline, hooks).then(
          (pushed) => pushed.verdicts ?? records.map(() => pushed.joint),
          (err: unknown): DeliveryVerdict[] => {
            log.error({ err }, 'delivery failed');
            return records.map(() => ({ delivered: false, status: 500, category: 'retryable', message: INTERNAL }));
          },
        );
        batch.events.forEach((event, i) => {
          const verdict = verdicts[i] as DeliveryVerdict;
          const entry = entries[positions.get(event) as number] as DeliveryEntry;
          entry.statusCode = verdict.status;
          hooks.onDelivered?.(def, verdict.status, verdict.category);
          if (verdict.delivered) return;
          entry.error = verdict.message;
          logUndelivered(log, event.input.metadata, verdict);
        });
      }),
    ),
  );
  return entries;
}
