/** `traits.<key>` for each key, then the same under `context.traits` (the usual order of contact rows). */
export function traitsThenContext(...keys: string[]): string[] {
  return [...keys.map((k) => `traits.${k}`), ...keys.map((k) => `context.traits.${k}`)];
}

/** Ometria's account id of the person: `customer_id`, `identity_account_id`, `customer.id`. */
export const ACCOUNT_ID_SOURCES = [
  'userId',
  'traits.userId',
  'traits.id',
  'context.traits.userId',
  'context.traits.id',
  'anonymousId',
] as const;

/** Email of the person behind a track event (custom event identity, order customer). */
export const TRACK_EMAIL_SOURCES = ['traits.email', 'context.traits.email', 'properties.email'] as const;

/** The event time of custom events and orders: required, and an invalid one is an error, not a drop. */
export const TIMESTAMP_ROW = {
  from: ['properties.timestamp', 'timestamp', 'originalTimestamp'],
  kind: 'text',
  check: 'isoDateTime',
  required: true,
  invalidError: 'Timestamp format must be ISO-8601',
} as const;

export const FIRSTNAME_SOURCES = traitsThenContext('firstName', 'firstname', 'first_name');
export const MIDDLENAME_SOURCES = traitsThenContext('middleName', 'middlename', 'middle_name');
export const LASTNAME_SOURCES = traitsThenContext('lastName', 'lastname', 'last_name');
