import { Type, type Static } from '@sinclair/typebox';

const OpenObject = Type.Object({}, { additionalProperties: true });
const Metadata = Type.Unknown({ description: 'Input metadata, echoed unchanged' });

export const StatTagsSchema = Type.Record(Type.String(), Type.String(), {
  description: 'Error metric tags; RudderStack requires every value to be a string',
});
export type StatTags = Static<typeof StatTagsSchema>;

export const RequestBodySchema = Type.Object({
  JSON: OpenObject,
  JSON_ARRAY: Type.Object({ batch: Type.String({ description: 'JSON array text of the records' }) }),
  XML: OpenObject,
  FORM: OpenObject,
});

const restRequestFields = {
  version: Type.Literal('1'),
  type: Type.Literal('REST'),
  method: Type.Literal('POST'),
  endpoint: Type.String(),
  headers: Type.Record(Type.String(), Type.String()),
  params: OpenObject,
  body: RequestBodySchema,
  files: OpenObject,
};

/** A router batch's request: RudderStack POSTs it as it is. */
export const BatchedRequestSchema = Type.Object(restRequestFields);
export type BatchedRequest = Static<typeof BatchedRequestSchema>;

/** A processor item's request: the same with `userId` (always a string). */
export const ProcessorOutputSchema = Type.Object({ ...restRequestFields, userId: Type.String() });
export type ProcessorOutput = Static<typeof ProcessorOutputSchema>;

const Warnings = Type.Optional(
  Type.Array(Type.String(), { description: 'Only with ?explain=true: values skipped or dropped' }),
);

/** One processor output item: `output` on success, `error` and `statTags` on failure. */
export const ProcessorItemResponseSchema = Type.Object({
  output: Type.Optional(ProcessorOutputSchema),
  metadata: Type.Optional(Metadata),
  statusCode: Type.Integer(),
  error: Type.Optional(Type.String()),
  statTags: Type.Optional(StatTagsSchema),
  warnings: Warnings,
});
export type ProcessorItemResponse = Static<typeof ProcessorItemResponseSchema>;

export const ProcessorResponseSchema = Type.Array(ProcessorItemResponseSchema);

/** One router/batch output item: a batch of events (batched: true) or one failed event. */
export const RouterItemResponseSchema = Type.Object({
  batchedRequest: Type.Optional(BatchedRequestSchema),
  metadata: Type.Array(Metadata),
  batched: Type.Boolean(),
  statusCode: Type.Integer(),
  error: Type.Optional(Type.String()),
  statTags: Type.Optional(StatTagsSchema),
  destination: Type.Optional(Type.Unknown({ description: 'The destination, after dynamic config' })),
  warnings: Warnings,
});
export type RouterItemResponse = Static<typeof RouterItemResponseSchema>;

export const RouterResponseSchema = Type.Object({ output: Type.Array(RouterItemResponseSchema) });
export const BatchResponseSchema = Type.Array(RouterItemResponseSchema);

export const ErrorResponseSchema = Type.Object({ error: Type.String() });
