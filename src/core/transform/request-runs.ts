import type { ProcessorItemResponse, RouterItemResponse } from '../../../schemas/rudder/responses.js';
import { batchEvents } from './batching.js';
import type { DestinationDefinition } from '../destination.js';
import type { EventInput } from './event-input.js';
import { processorItem, routerBatchItem, routerErrorItem, type ItemOptions } from './rudder-items.js';
import { transformEvent, type PipelineHooks, type TransformedEvent } from './pipeline.js';

/** Processor transform: one item per input event, in input order. */
export function runProcessor(
  def: DestinationDefinition,
  inputs: readonly EventInput[],
  options: ItemOptions,
  hooks: PipelineHooks,
): ProcessorItemResponse[] {
  return inputs.map((input) => processorItem(def, transformEvent(def, input, hooks), options));
}

/**
 * Router (and batch) transform: per-event errors first, then batches (docs/RUDDERSTACK.md, "Router
 * transform and batch"). Every input event is in exactly one item: RudderStack fails the whole
 * request otherwise.
 */
export function runRouter(
  def: DestinationDefinition,
  inputs: readonly EventInput[],
  options: ItemOptions,
  hooks: PipelineHooks,
): RouterItemResponse[] {
  const items: RouterItemResponse[] = [];
  const transformed: TransformedEvent[] = [];
  for (const input of inputs) {
    const outcome = transformEvent(def, input, hooks);
    if (outcome.ok) transformed.push(outcome);
    else items.push(routerErrorItem(def, outcome, options));
  }
  for (const batch of batchEvents(def, transformed)) items.push(routerBatchItem(batch, options));
  return items;
}
