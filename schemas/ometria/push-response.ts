import { Type, type Static } from '@sinclair/typebox';

/** Ometria's answer to POST /v2/push. */
export const PushResponseSchema = Type.Object(
  {
    status: Type.Optional(Type.String()),
    request_id: Type.Optional(Type.String()),
    accepted: Type.Optional(Type.Integer({ minimum: 0 })),
    rejected: Type.Optional(Type.Integer({ minimum: 0 })),
    skipped: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: true },
);
export type PushResponse = Static<typeof PushResponseSchema>;
