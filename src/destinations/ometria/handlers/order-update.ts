import type { MappedRecord } from '../../../core/destination.js';
import type { SourceScope } from '../../../core/engine/mapping.js';
import { isAbsent, isPlainObject, type PlainObject } from '../../../core/plain-object.js';
import type { OrderEvent } from '../../../../schemas/ometria/order.js';
import { ORDER_UPDATE_READ_KEYS, orderUpdateFields } from '../mappings/order.js';

/**
 * A cancellation or refund → an update of the order Ometria has (docs/MAPPING.md, "Order
 * updates"): `@type`, `id`, `status` and `is_valid` as the order event table says, nothing else.
 */
export function orderUpdate(message: PlainObject, scope: SourceScope, event: OrderEvent): MappedRecord {
  const record: PlainObject = { '@type': 'order' };
  orderUpdateFields.apply(scope, record);
  const properties = isPlainObject(message.properties) ? message.properties : undefined;
  const effect = event.withProducts !== undefined && listsProducts(properties?.products) ? event.withProducts : event;
  record.status = effect.status;
  if (effect.is_valid !== undefined) record.is_valid = effect.is_valid;
  if (properties !== undefined) {
    // Left out by design, so a note for ?explain=true, never a logged warning.
    const unsent = Object.keys(properties).filter((key) => !ORDER_UPDATE_READ_KEYS.has(key));
    if (unsent.length > 0) scope.warnings.note('order update', `not sent: ${unsent.join(', ')}`);
  }
  return { type: 'order', schema: 'order_update', record };
}

/**
 * Whether a refund lists products: any present value but an empty list. A malformed list still
 * counts, since reading it as a full refund would wipe the order's revenue.
 */
function listsProducts(products: unknown): boolean {
  return !isAbsent(products) && !(Array.isArray(products) && products.length === 0);
}
