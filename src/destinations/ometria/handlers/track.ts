import { InstrumentationError } from '../../../core/errors.js';
import type { MappedRecord } from '../../../core/destination.js';
import type { SourceScope } from '../../../core/mapping.js';
import type { PlainObject } from '../../../core/plain-object.js';
import type { OrderStatus } from '../../../../schemas/ometria/order.js';
import { customEvent } from './custom-event.js';
import { order } from './order.js';

/** Order event names (trimmed, lower-cased) and the order status each one sets (SPEC §4). */
export const ORDER_EVENTS: ReadonlyMap<string, OrderStatus> = new Map([
  ['order completed', 'complete'],
  ['order complete', 'complete'],
  ['complete', 'complete'],
  ['order shipped', 'shipped'],
  ['shipped', 'shipped'],
  ['order pending', 'pending'],
  ['pending', 'pending'],
]);

/** track → order or custom_event; the event name is checked first because it decides which. */
export function track(message: PlainObject, scope: SourceScope): MappedRecord {
  const { event } = message;
  const name = typeof event === 'string' ? event.trim().toLowerCase() : '';
  if (name === '') throw new InstrumentationError('Event name is required for track call');
  const status = ORDER_EVENTS.get(name);
  return status === undefined ? customEvent(message, scope, name) : order(message, scope, status);
}
