import type { MappingTable } from '../../../../schemas/mapping.js';
import type { CustomEvent } from '../../../../schemas/ometria/custom-event.js';
import { compileTable } from '../../../core/engine/mapping.js';
import { ACCOUNT_ID_SOURCES, TIMESTAMP_ROW, TRACK_EMAIL_SOURCES } from './sources.js';

/** track → custom_event (`@type` and `event_type` are set by the track handler, which checks the name first). */
export const CUSTOM_EVENT_TABLE = {
  id: { from: ['properties.event_id', 'messageId'], kind: 'identifier', required: true },
  timestamp: TIMESTAMP_ROW,
  identity_email: { from: TRACK_EMAIL_SOURCES, kind: 'text', required: true },
  identity_account_id: { from: ACCOUNT_ID_SOURCES, kind: 'identifier', required: true },
  profile_id: { from: ['traits.profile_id', 'context.traits.profile_id', 'properties.profile_id'], kind: 'text' },
  properties: { from: ['properties.custom_fields'], kind: 'object' },
} as const satisfies MappingTable<CustomEvent>;

export const customEventFields = compileTable(CUSTOM_EVENT_TABLE, 'CUSTOM_EVENT_TABLE');

/** Event property keys that are not custom fields: what the rows read, plus three that name the event or the person. */
export const CUSTOM_EVENT_NOT_CUSTOM: ReadonlySet<string> = new Set([
  ...customEventFields.readKeys('properties'),
  'event_type',
  'userId',
  'anonymousId',
]);
