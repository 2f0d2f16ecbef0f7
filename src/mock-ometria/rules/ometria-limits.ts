// Ometria's documented limits, written down here from its Push API docs rather than taken from the
// service, so that a wrong limit in the service shows up against the mock.

/** A push carries one record at least (it is always an array) and a hundred at most. */
export const MAX_RECORDS_PER_PUSH = 100;

/** Ometria caps a record at 60 KB, read here as 60 × 1024 bytes of its JSON in UTF-8. */
export const MAX_RECORD_BYTES = 60 * 1024;

/** Ometria's error text for a record over that size. */
export const RECORD_TOO_LARGE = 'Payload invalid: Record is too large.';

/** The object types the Push API knows; one push holds records of one of them only. */
export const RECORD_TYPES: readonly string[] = ['contact', 'order', 'product', 'custom_event'];

/** The values a contact's `marketing_optin` may take. */
export const MARKETING_OPTIN_VALUES: readonly string[] = ['EXPLICITLY_OPTEDIN', 'EXPLICITLY_OPTEDOUT', 'NOT_SPECIFIED'];
