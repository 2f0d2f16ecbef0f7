import { Type, type Static } from '@sinclair/typebox';
import { IdentifierSchema, IsoDateTimeSchema, OpenObjectSchema, TextSchema } from './fields.js';

export const CustomEventSchema = Type.Object(
  {
    '@type': Type.Literal('custom_event'),
    id: IdentifierSchema,
    event_type: Type.String({ minLength: 1 }),
    timestamp: IsoDateTimeSchema,
    identity_email: Type.String({ minLength: 1 }),
    identity_account_id: IdentifierSchema,
    profile_id: Type.Optional(TextSchema),
    properties: OpenObjectSchema,
  },
  { additionalProperties: false },
);
export type CustomEvent = Static<typeof CustomEventSchema>;
