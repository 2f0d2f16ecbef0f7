import { InstrumentationError } from '../../../core/errors.js';
import { whatIs } from '../../../core/engine/kinds.js';
import type { MappedRecord } from '../../../core/destination.js';
import type { SourceScope } from '../../../core/engine/mapping.js';
import type { PlainObject } from '../../../core/plain-object.js';
import { ORDER_EVENTS } from '../mappings/order.js';
import { customEvent } from './custom-event.js';
import { order } from './order.js';
import { orderUpdate } from './order-update.js';

/** track → order or custom_event; the event name is checked first because it decides which. */
export function track(message: PlainObject, scope: SourceScope): MappedRecord {
  const { event } = message;
  const name = typeof event === 'string' ? event.trim().toLowerCase() : '';
  if (name === '') throw new InstrumentationError(`Event name is required for track call: event is ${whatIs(event)}`);
  const orderEvent = ORDER_EVENTS.get(name);
  if (orderEvent === undefined) return customEvent(message, scope, name);
  return orderEvent.update ? orderUpdate(message, scope, orderEvent) : order(message, scope, orderEvent);
}
