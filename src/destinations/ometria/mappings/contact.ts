import type { MappingTable } from '../../../../schemas/mapping.js';
import type { Contact, SmsChannel } from '../../../../schemas/ometria/contact.js';
import { compileTable } from '../../../core/engine/mapping.js';
import { ACCOUNT_ID_SOURCES, FIRSTNAME_SOURCES, LASTNAME_SOURCES, MIDDLENAME_SOURCES, traitsThenContext } from './sources.js';

const GENDERS = { f: 'f', female: 'f', m: 'm', male: 'm', o: 'o', other: 'o', others: 'o' } as const;

// The misspelling is what older RudderStack configs store; it means opted out.
const MARKETING_OPTINS = {
  EXPLICITLY_OPTEDIN: 'EXPLICITLY_OPTEDIN',
  EXPLICITLY_OPTEDOUT: 'EXPLICITLY_OPTEDOUT',
  EXPLICITYLY_OPTEDOUT: 'EXPLICITLY_OPTEDOUT',
  NOT_SPECIFIED: 'NOT_SPECIFIED',
} as const;

const isoDateTime = { kind: 'text', check: 'isoDateTime' } as const;

/** identify → contact, rows in error-precedence order: the listing id is checked before the email. */
export const CONTACT_TABLE = {
  id: {
    from: ['integrations:listingId', 'traits.listingId', 'context.traits.listingId'],
    kind: 'identifier',
    required: true,
    missingError: 'Parameter listingId is required for identify',
    what: "the contact's id in Ometria",
  },
  email: { from: traitsThenContext('email'), kind: 'text', required: true },
  customer_id: { from: ACCOUNT_ID_SOURCES, kind: 'identifier' },
  // Before the phone: a national number is read in the contact's country (docs/DIFFERENCES.md, 21, 22).
  country_id: {
    from: [...traitsThenContext('countryId'), 'traits.address.country', 'context.traits.address.country'],
    kind: 'text',
    check: 'country',
  },
  phone_number: { from: traitsThenContext('phoneNumber', 'phone'), kind: 'text', check: 'e164', context: 'country_id' },
  '@collection': { from: traitsThenContext('collection'), kind: 'text' },
  prefix: { from: traitsThenContext('prefix'), kind: 'text' },
  firstname: { from: FIRSTNAME_SOURCES, kind: 'text' },
  middlename: { from: MIDDLENAME_SOURCES, kind: 'text' },
  lastname: { from: LASTNAME_SOURCES, kind: 'text' },
  date_of_birth: { from: traitsThenContext('dateOfBirth', 'birthday'), kind: 'text' },
  timezone: { from: ['context.timezone', 'traits.timezone', 'context.traits.timezone'], kind: 'text', check: 'timezone' },
  timestamp_acquired: { from: traitsThenContext('timestampAcquired', 'createdAt'), ...isoDateTime },
  timestamp_subscribed: { from: traitsThenContext('timestampSubscribed'), ...isoDateTime },
  timestamp_unsubscribed: { from: traitsThenContext('timestampUnsubscribed'), ...isoDateTime },
  store_ids: { from: traitsThenContext('storeIds'), kind: 'list' },
  gender: { from: traitsThenContext('gender'), kind: 'text', check: 'oneOf', values: GENDERS, fold: 'lower' },
  '@remove_from_lists': { from: traitsThenContext('removeFromLists'), kind: 'list' },
  '@add_to_lists': { from: traitsThenContext('addToLists'), kind: 'list' },
  '@force_optin': { from: traitsThenContext('forceOptin'), kind: 'flag' },
  '@merge': { from: traitsThenContext('merge'), kind: 'flag' },
  properties: { from: traitsThenContext('custom_fields'), kind: 'object' },
  // Never a default opt-out: absent in both places means the field is omitted (docs/DIFFERENCES.md, 12).
  marketing_optin: {
    from: ['integrations:marketingOptin', 'config:marketingOptin'],
    kind: 'text',
    check: 'oneOf',
    values: MARKETING_OPTINS,
    invalidFallsThrough: true,
  },
} as const satisfies MappingTable<Contact>;

/**
 * `channels.sms`: an explicit integrations value beats the config, snake_case first
 * (docs/DIFFERENCES.md, 2). The config's values only go out beside a phone number: RudderStack's
 * dashboard stores `false` by default, which would opt every contact out (docs/DIFFERENCES.md, 20).
 */
export const SMS_CHANNEL_TABLE = {
  allow_marketing: {
    from: ['integrations:allow_marketing', 'integrations:allowMarketing', 'config:allowMarketing'],
    kind: 'flag',
    configOnlyWith: 'phone_number',
  },
  allow_transactional: {
    from: ['integrations:allow_transactional', 'integrations:allowTransactional', 'config:allowTransactional'],
    kind: 'flag',
    configOnlyWith: 'phone_number',
  },
  dt_updated_marketing: { from: ['integrations:dt_updated_marketing'], ...isoDateTime },
  dt_updated_transactional: { from: ['integrations:dt_updated_transactional'], ...isoDateTime },
} as const satisfies MappingTable<SmsChannel>;

/** The `name` trait that fills empty name fields (handlers/names.ts). */
export const NAME_TABLE = {
  name: { from: traitsThenContext('name'), kind: 'text' },
} as const satisfies MappingTable<{ name: string }>;

export const contactFields = compileTable(CONTACT_TABLE, 'CONTACT_TABLE', ['properties']);
export const smsChannelFields = compileTable(SMS_CHANNEL_TABLE, 'SMS_CHANNEL_TABLE');
export const nameFields = compileTable(NAME_TABLE, 'NAME_TABLE');

// Read on purpose but never custom fields (docs/MAPPING.md, contact "Custom fields").
const NEVER_CUSTOM_TRAITS = ['name', 'channels', 'marketingOptin', 'marketinOptin', 'anonymousId'];

/** Trait keys that are not custom fields: everything a row reads, derived from the tables. */
export const CONTACT_NOT_CUSTOM: ReadonlySet<string> = new Set([
  ...[contactFields, nameFields].flatMap((t) => [...t.readKeys('traits'), ...t.readKeys('context.traits')]),
  ...NEVER_CUSTOM_TRAITS,
]);
