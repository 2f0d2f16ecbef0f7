import { Type, type Static } from '@sinclair/typebox';
import { StatTagsSchema } from './responses.js';

const proxyFields = {
  type: Type.Optional(Type.String()),
  endpoint: Type.String({ description: 'Where to send; must be a configured Ometria origin' }),
  endpointPath: Type.Optional(Type.String()),
  method: Type.Optional(Type.String()),
  userId: Type.Optional(Type.String()),
  headers: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  params: Type.Optional(Type.Unknown()),
  body: Type.Unknown({ description: '{JSON, JSON_ARRAY: {batch}, XML, FORM}' }),
  files: Type.Optional(Type.Unknown()),
  destinationConfig: Type.Optional(Type.Unknown()),
  destinationVersion: Type.Optional(Type.Unknown()),
};

/**
 * RudderStack's v0 proxy request: `metadata` is the first job's, as an object (docs/RUDDERSTACK.md,
 * "Delivery proxy").
 */
export const ProxyV0RequestSchema = Type.Object(
  { ...proxyFields, metadata: Type.Optional(Type.Unknown()) },
  { additionalProperties: true },
);
/** v1: `metadata` lists every job of the request. */
export const ProxyV1RequestSchema = Type.Object(
  { ...proxyFields, metadata: Type.Array(Type.Unknown(), { minItems: 1 }) },
  { additionalProperties: true },
);
export type ProxyRequest = Static<typeof ProxyV0RequestSchema>;

export const ProxyV0ResponseSchema = Type.Object({
  output: Type.Object({
    status: Type.Integer(),
    message: Type.String(),
    destinationResponse: Type.Object({
      response: Type.Unknown(),
      status: Type.Integer(),
      headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    }),
    statTags: Type.Optional(StatTagsSchema),
  }),
});
export type ProxyV0Response = Static<typeof ProxyV0ResponseSchema>;

export const ProxyV1ResponseSchema = Type.Object({
  output: Type.Object({
    status: Type.Integer(),
    message: Type.String(),
    response: Type.Array(
      Type.Object({
        error: Type.String({ description: "The destination's answer, JSON-encoded" }),
        statusCode: Type.Integer(),
        metadata: Type.Unknown(),
      }),
    ),
    statTags: Type.Optional(StatTagsSchema),
  }),
});
export type ProxyV1Response = Static<typeof ProxyV1ResponseSchema>;
