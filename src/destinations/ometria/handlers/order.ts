import { collectLeftovers, isEmptyObject, noteUnsentLeftovers, warnUnreadKeys } from '../../../core/engine/leftovers.js';
import type { MappedRecord } from '../../../core/destination.js';
import type { SourceScope } from '../../../core/engine/mapping.js';
import { isPlainObject, type PlainObject } from '../../../core/plain-object.js';
import type { Warnings } from '../../../core/engine/warnings.js';
import type { OrderEvent } from '../../../../schemas/ometria/order.js';
import { ADDRESS_READ_KEYS, addressFields, ORDER_NOT_CUSTOM, orderCustomerFields, orderFields } from '../mappings/order.js';
import { mapLineItems } from './line-items.js';
import { fillFromName } from './names.js';

/** An address object mapped by ADDRESS_TABLE; undefined when nothing maps. */
function address(source: unknown, path: string, warnings: Warnings): PlainObject | undefined {
  if (!isPlainObject(source)) return undefined;
  const mapped = addressFields.apply({ subject: source, subjectPath: `${path}.`, warnings });
  warnUnreadKeys(source, ADDRESS_READ_KEYS, path, 'an address', warnings);
  return isEmptyObject(mapped) ? undefined : mapped;
}

/** track with the name of an event that sends a whole order → order (docs/MAPPING.md, "order"). */
export function order(message: PlainObject, scope: SourceScope, event: OrderEvent): MappedRecord {
  const { warnings } = scope;
  const record: PlainObject = { '@type': 'order', status: event.status, is_valid: event.is_valid };
  let hasCustomFields = false;
  orderFields.apply(scope, record, {
    shipping_address: (value) => address(value, 'properties.shipping_address', warnings),
    billing_address: (value) => address(value, 'properties.billing_address', warnings),
    properties: (value) => {
      hasCustomFields = true;
      return isPlainObject(value) && !isEmptyObject(value) ? value : undefined;
    },
    lineitems: (value) => {
      const items = mapLineItems(value as unknown[], warnings);
      return items.length > 0 ? items : undefined;
    },
  });

  const customer = orderCustomerFields.apply(scope);
  fillFromName(scope, customer, { first: 'firstname', last: 'lastname' });
  record.customer = customer;

  const properties = [{ object: message.properties, path: 'properties' }];
  if (hasCustomFields) {
    noteUnsentLeftovers(properties, ORDER_NOT_CUSTOM, warnings);
  } else {
    const leftovers = collectLeftovers(properties, ORDER_NOT_CUSTOM, warnings);
    if (!isEmptyObject(leftovers)) record.properties = leftovers;
  }
  return { type: 'order', record };
}
