import { Type, type Static } from '@sinclair/typebox';
import { IdentifierSchema, IsoDateTimeSchema, ListSchema, OpenObjectSchema, TextSchema } from './fields.js';

export const MarketingOptinSchema = Type.Union([
  Type.Literal('EXPLICITLY_OPTEDIN'),
  Type.Literal('EXPLICITLY_OPTEDOUT'),
  Type.Literal('NOT_SPECIFIED'),
]);

export const SmsChannelSchema = Type.Object(
  {
    allow_marketing: Type.Optional(Type.Boolean()),
    allow_transactional: Type.Optional(Type.Boolean()),
    dt_updated_marketing: Type.Optional(IsoDateTimeSchema),
    dt_updated_transactional: Type.Optional(IsoDateTimeSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type SmsChannel = Static<typeof SmsChannelSchema>;

export const ContactSchema = Type.Object(
  {
    '@type': Type.Literal('contact'),
    id: IdentifierSchema,
    email: Type.String({ minLength: 1 }),
    customer_id: Type.Optional(IdentifierSchema),
    phone_number: Type.Optional(Type.String({ format: 'e164' })),
    '@collection': Type.Optional(TextSchema),
    prefix: Type.Optional(TextSchema),
    firstname: Type.Optional(TextSchema),
    middlename: Type.Optional(TextSchema),
    lastname: Type.Optional(TextSchema),
    date_of_birth: Type.Optional(TextSchema),
    country_id: Type.Optional(TextSchema),
    timezone: Type.Optional(TextSchema),
    timestamp_acquired: Type.Optional(IsoDateTimeSchema),
    timestamp_subscribed: Type.Optional(IsoDateTimeSchema),
    timestamp_unsubscribed: Type.Optional(IsoDateTimeSchema),
    store_ids: Type.Optional(ListSchema),
    gender: Type.Optional(Type.Union([Type.Literal('f'), Type.Literal('m'), Type.Literal('o')])),
    '@remove_from_lists': Type.Optional(ListSchema),
    '@add_to_lists': Type.Optional(ListSchema),
    '@force_optin': Type.Optional(Type.Boolean()),
    '@merge': Type.Optional(Type.Boolean()),
    properties: Type.Optional(OpenObjectSchema),
    marketing_optin: Type.Optional(MarketingOptinSchema),
    channels: Type.Optional(Type.Object({ sms: SmsChannelSchema }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type Contact = Static<typeof ContactSchema>;
