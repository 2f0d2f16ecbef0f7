import pLimit from 'p-limit';
import type { HttpClient } from '../http/http-client.js';
import type { Batch } from './batching.js';
import { batchEvents } from './batching.js';
import type { DeliveryVerdict, DestinationDefinition } from './destination.js';
import type { EventInput } from './event-input.js';
import { transformEvent, type PipelineHooks, type TransformedEvent } from './pipeline.js';

/** What became of one event in a /deliver request. */
export interface DeliveryEntry {
  metadata: unknown;
  statusCode: number;
  error?: string;
}

export interface DeliveryDeps {
  readonly client: HttpClient;
  /** Pushes in flight at once for one request. */
  readonly concurrency: number;
}

/** Sends one batch with the shared client (retries, backoff and rate limit live there). */
export async function pushBatch(def: DestinationDefinition, client: HttpClient, batch: Batch): Promise<DeliveryVerdict> {
  const { endpoint, headers, body } = batch.request;
  const result = await client.post({
    url: endpoint,
    headers,
    body: body.JSON_ARRAY.batch,
    rateKey: def.delivery.rateKey(headers),
  });
  return def.delivery.interpret(result);
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
      entries[index] = { metadata: input.metadata, statusCode: outcome.error.status, error: outcome.error.message };
    }
  });
  const limit = pLimit(deps.concurrency);
  await Promise.all(
    batchEvents(def, transformed).map((batch) =>
      limit(async () => {
        const verdict = await pushBatch(def, deps.client, batch).catch((err: unknown): DeliveryVerdict => {
          log.error({ err }, 'delivery failed');
          return { delivered: false, status: 500, category: 'retryable', message: 'Internal error while delivering this batch; see the service log' };
        });
        hooks.onPush?.(def, verdict);
        if (!verdict.delivered) log.warn({ status: verdict.status, events: batch.events.length }, verdict.message);
        for (const event of batch.events) {
          const entry = entries[positions.get(event) as number] as DeliveryEntry;
          entry.statusCode = verdict.status;
          if (!verdict.delivered) entry.error = verdict.message;
        }
      }),
    ),
  );
  return entries;
}
