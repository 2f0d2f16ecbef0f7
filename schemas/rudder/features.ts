import { Type, type Static } from '@sinclair/typebox';

/** What RudderStack reads from GET /features (docs/RUDDERSTACK.md, "/features"). */
export const FeaturesSchema = Type.Object(
  {
    routerTransform: Type.Record(Type.String(), Type.Boolean()),
    regulations: Type.Array(Type.String()),
    supportSourceTransformV1: Type.Boolean(),
    upgradedToSourceTransformV2: Type.Boolean(),
    supportDestTransformCompactedPayloadV1: Type.Boolean(),
    supportTransformerProxyV1: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);
export type Features = Static<typeof FeaturesSchema>;
