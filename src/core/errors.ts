/**
 * Typed per-event errors. RudderStack reads `statusCode`, `error` and string-only `statTags`
 * (docs/RUDDERSTACK.md, "Per-event errors and statTags"); the class decides the tags.
 */
export interface ClassTags {
  readonly errorCategory: string;
  readonly errorType?: string;
}

export abstract class TransformError extends Error {
  abstract readonly statusCode: number;
  abstract readonly classTags: ClassTags;
}

/** Bad or missing event data: the event can never succeed as sent. */
export class InstrumentationError extends TransformError {
  override readonly name = 'InstrumentationError';
  readonly statusCode = 400;
  readonly classTags = { errorCategory: 'dataValidation', errorType: 'instrumentation' } as const;
}

/** Bad destination config (e.g. no API key). */
export class ConfigurationError extends TransformError {
  override readonly name = 'ConfigurationError';
  readonly statusCode = 400;
  readonly classTags = { errorCategory: 'dataValidation', errorType: 'configuration' } as const;
}

/**
 * A request whose envelope cannot be answered event by event (e.g. metadata too deep to echo):
 * the whole request is a 400 naming the field. Fastify reads `statusCode`.
 */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
  readonly statusCode = 400;
}

/** What a failed event reports; `internal` marks a bug of ours (500), never the event's fault. */
export interface EventError {
  readonly statusCode: number;
  readonly message: string;
  readonly classTags: ClassTags;
  readonly internal: boolean;
}

const INTERNAL_TAGS: ClassTags = { errorCategory: 'transformation' };

export function toEventError(error: unknown, internalMessage: string): EventError {
  if (error instanceof TransformError) {
    return { statusCode: error.statusCode, message: error.message, classTags: error.classTags, internal: false };
  }
  return { statusCode: 500, message: internalMessage, classTags: INTERNAL_TAGS, internal: true };
}

export type Feature = 'processor' | 'router' | 'batch' | 'dataDelivery' | 'deliver';

export interface TagContext {
  readonly destType: string;
  readonly feature: Feature;
  readonly destinationId: unknown;
  readonly workspaceId: unknown;
}

/**
 * Class tags first, then the context tags in the reference's order. Every value is a string:
 * RudderStack types statTags as string→string and a non-string breaks the whole response.
 */
export function statTags(classTags: ClassTags, context: TagContext): Record<string, string> {
  const tags: Record<string, string> = { errorCategory: classTags.errorCategory };
  if (classTags.errorType !== undefined) tags.errorType = classTags.errorType;
  tags.destType = context.destType;
  tags.module = 'destination';
  tags.implementation = 'native';
  tags.feature = context.feature;
  if (typeof context.destinationId === 'string') tags.destinationId = context.destinationId;
  if (typeof context.workspaceId === 'string') tags.workspaceId = context.workspaceId;
  return tags;
}
