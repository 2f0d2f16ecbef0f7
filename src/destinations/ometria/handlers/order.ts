import { collectLeftovers, isEmptyObject, warnUnreadKeys } from '../../../core/leftovers.js';
import type { MappedRecord } from '../../../core/destination.js';
import type { SourceScope } from '../../../core/mapping.js';
import { isPlainObject, type PlainObject } from '../../../core/plain-object.js';
import type { OrderStatus } from '../../../../schemas/ometria/order.js';
import { ADDRESS_READ_KEYS, addressFields, ORDER_NOT_CUSTOM, orderCustomerFields, orderFields } from '../mappings/order.js';
import { mapLineItems } from './line-items.js';
import { fillFromName } from './names.js';

const ADDRESS_KEYS = ['shipping_address', 'billing_address'] as const;

/** track with an order event name → order (SPEC §4). */
export function order(message: PlainObject, scope: SourceScope, status: OrderStatus): MappedRecord {
  const record: PlainObject = { '@type': 'order', status, is_valid: true };
  orderFields.apply(scope, record);

  const customer = orderCustomerFields.apply(scope);
  fillFromName(scope, customer, { first: 'firstname', last: 'lastname' });
  record.customer = customer;

  for (const key of ADDRESS_KEYS) {
    const source = record[key];
    if (!isPlainObject(source)) continue;
    const path = `properties.${key}`;
    const address = addressFields.apply({ subject: source, subjectPath: `${path}.`, warnings: scope.warnings });
    warnUnreadKeys(source, ADDRESS_READ_KEYS, path, 'an address', scope.warnings);
    if (isEmptyObject(address)) delete record[key];
    else record[key] = address;
  }

  const customFields = record.properties;
  if (isPlainObject(customFields)) {
    if (isEmptyObject(customFields)) delete record.properties;
  } else {
    const leftovers = collectLeftovers([{ object: message.properties, path: 'properties' }], ORDER_NOT_CUSTOM, scope.warnings);
    if (!isEmptyObject(leftovers)) record.properties = leftovers;
  }

  const products = record.lineitems;
  delete record.lineitems;
  if (Array.isArray(products)) {
    const items = mapLineItems(products, scope.warnings);
    if (items.length > 0) record.lineitems = items;
  }
  return { type: 'order', record };
}
