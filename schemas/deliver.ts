import { Type, type Static } from '@sinclair/typebox';

/** What became of one event in a /deliver request. */
export const DeliveryEntrySchema = Type.Object({
  metadata: Type.Optional(Type.Unknown({ description: "The event's metadata, echoed" })),
  statusCode: Type.Integer({
    description: '200 accepted by Ometria; 400 invalid event or rejected by Ometria; 403 API key refused; 429/5xx still failing after the retries',
  }),
  error: Type.Optional(Type.String()),
});
export type DeliveryEntry = Static<typeof DeliveryEntrySchema>;

/** POST /deliver: one entry per input event, in input order. */
export const DeliverResponseSchema = Type.Object({ output: Type.Array(DeliveryEntrySchema) });
