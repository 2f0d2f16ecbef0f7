import { Type, type Static } from '@sinclair/typebox';

/** destination.Config of an Ometria destination, as the RudderStack control plane stores it. */
export const OmetriaConfigSchema = Type.Object(
  {
    apiKey: Type.String({ minLength: 1 }),
    marketingOptin: Type.Optional(Type.String()),
    allowMarketing: Type.Optional(Type.Boolean()),
    allowTransactional: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);
export type OmetriaConfig = Static<typeof OmetriaConfigSchema>;
