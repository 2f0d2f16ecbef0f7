import pLimit from 'p-limit';
import type { DeliveryEntry } from '../../schemas/deliver.js';
import type { OmetriaClient } from '../http/ometria-client.js';
import { batchEvents } from './batching.js';
import type { DeliveryVerdict, DestinationDefinition, PushTarget } from './destination.js';
import type { EventInput } from './event-input.js';
import { isolateRejected } from './isolation.js';
import { isPlainObject } from './plain-object.js';
import { transformEvent, type PipelineHooks, type TransformedEvent } from './pipeline.js';

export interface DeliveryDeps {
  readonly client: OmetriaClient;
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

/**
 * Pushes records (JSON texts, in order) as one request and answers one verdict per record. When
 * the destination received the push but rejected some records without saying which, they are
 * told apart by re-pushing halves (isolation.ts), within `deadline`: epoch ms on the client's
 * clock (client.now()), so that a test's virtual clock moves deadlines and waits together.
 * `firstBody` sends the first push as given (the proxy relays RudderStack's bytes); re-pushes join
 * the records.
 */
export async function pushRecords(
  def: DestinationDefinition,
  client: OmetriaClient,
  target: RecordsTarget,
  records: readonly string[],
  deadline: number,
  hooks: Pick<PipelineHooks, 'onPush' | 'onRepush'>,
  firstBody?: string,
): Promise<{ whole: DeliveryVerdict; verdicts: DeliveryVerdict[] }> {
  const rateKey = def.delivery.rateKey(target.headers);
  const send = async (body: string, count: number, until: number): Promise<DeliveryVerdict> => {
    const result = await client.post({
      url: target.endpoint,
      headers: target.headers,
      body,
      rateKey,
      deadlineMs: Math.max(0, until - client.now()),
      records: count,
      ...(target.label === undefined ? {} : { label: target.label }),
    });
    return def.delivery.interpret(result);
  };
  const whole = await send(firstBody ?? `[${records.join(',')}]`, records.length, deadline);
  hooks.onPush?.(def, whole);
  const { readErrors } = def.delivery;
  const { verdicts } = await isolateRejected(records, whole, {
    displayName: def.displayName,
    deadline,
    now: () => client.now(),
    send: (part, until) => send(`[${part.join(',')}]`, part.length, until),
    ...(readErrors === undefined ? {} : { readErrors: (requestId) => readErrors(client, target, requestId) }),
    onRepush: (verdict) => hooks.onRepush?.(def, verdict),
  });
  return { whole, verdicts };
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
        const verdicts = await pushRecords(def, deps.client, target, records, deadline, hooks, batch.request.body.JSON_ARRAY.batch).then(
          (pushed) => pushed.verdicts,
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
