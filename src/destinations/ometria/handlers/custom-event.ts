import { collectLeftovers, noteUnsentLeftovers } from '../../../core/engine/leftovers.js';
import type { MappedRecord } from '../../../core/destination.js';
import type { SourceScope } from '../../../core/engine/mapping.js';
import type { PlainObject } from '../../../core/plain-object.js';
import { CUSTOM_EVENT_NOT_CUSTOM, customEventFields } from '../mappings/custom-event.js';

/** track (not an order event) → custom_event (docs/MAPPING.md, "custom_event"); `eventType` is the checked event name. */
export function customEvent(message: PlainObject, scope: SourceScope, eventType: string): MappedRecord {
  const record: PlainObject = { '@type': 'custom_event', event_type: eventType };
  customEventFields.apply(scope, record);
  const properties = [{ object: message.properties, path: 'properties' }];
  // Always present for custom events, possibly {}.
  if (record.properties === undefined) record.properties = collectLeftovers(properties, CUSTOM_EVENT_NOT_CUSTOM, scope.warnings);
  else noteUnsentLeftovers(properties, CUSTOM_EVENT_NOT_CUSTOM, scope.warnings);
  return { type: 'custom_event', record };
}
