import type {
  BatchedRequest,
  ProcessorItemResponse,
  ProcessorOutput,
  RouterItemResponse,
} from '../../../schemas/rudder/responses.js';
import type { Batch } from './batching.js';
import type { DestinationDefinition, OutboundRequest } from '../destination.js';
import { statTags, type Feature } from '../errors.js';
import type { EventOutcome, FailedEvent } from './pipeline.js';
import { isPlainObject } from '../plain-object.js';

/** How items are written: which feature tags errors, and whether `warnings` are added. */
export interface ItemOptions {
  readonly feature: Feature;
  readonly explain: boolean;
}

function restRequest(request: OutboundRequest): BatchedRequest {
  return {
    version: '1',
    type: 'REST',
    method: 'POST',
    endpoint: request.endpoint,
    headers: { ...request.headers },
    params: {},
    body: request.body,
    files: {},
  };
}

function errorTags(def: DestinationDefinition, event: FailedEvent, feature: Feature): Record<string, string> {
  const metadata = isPlainObject(event.input.metadata) ? event.input.metadata : {};
  return statTags(event.error.classTags, {
    destType: def.name,
    feature,
    destinationId: metadata.destinationId,
    workspaceId: metadata.workspaceId,
  });
}

/**
 * Processor item (docs/RUDDERSTACK.md, "Processor transform"): the event's own request (a batch of
 * one) or its error.
 */
export function processorItem(def: DestinationDefinition, outcome: EventOutcome, options: ItemOptions): ProcessorItemResponse {
  const metadata = outcome.input.metadata;
  let item: ProcessorItemResponse;
  if (outcome.ok) {
    const output: ProcessorOutput = { ...restRequest(def.request(`[${outcome.json}]`, outcome.config)), userId: '' };
    item = { output, metadata, statusCode: 200 };
  } else {
    item = {
      metadata,
      statusCode: outcome.error.statusCode,
      error: outcome.error.message,
      statTags: errorTags(def, outcome, options.feature),
    };
  }
  if (options.explain) item.warnings = outcome.warnings.texts();
  return item;
}

/** Router per-event error item (docs/RUDDERSTACK.md, "Router transform and batch"). */
export function routerErrorItem(def: DestinationDefinition, event: FailedEvent, options: ItemOptions): RouterItemResponse {
  const item: RouterItemResponse = {
    metadata: [event.input.metadata],
    batched: false,
    statusCode: event.error.statusCode,
    error: event.error.message,
    statTags: errorTags(def, event, options.feature),
  };
  if (event.destination !== undefined) item.destination = event.destination;
  if (options.explain) item.warnings = event.warnings.texts();
  return item;
}

/** Router batch item: one request for all of the batch's events. */
export function routerBatchItem(batch: Batch, options: ItemOptions): RouterItemResponse {
  const item: RouterItemResponse = {
    batchedRequest: restRequest(batch.request),
    metadata: batch.events.map((e) => e.input.metadata),
    batched: true,
    statusCode: 200,
    destination: batch.events[0]?.destination,
  };
  if (options.explain) {
    item.warnings = batch.events.flatMap((e) => {
      const jobId = isPlainObject(e.input.metadata) ? e.input.metadata.jobId : undefined;
      return e.warnings.texts(`job ${String(jobId)}: `);
    });
  }
  return item;
}
