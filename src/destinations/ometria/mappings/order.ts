import type { MappingTable } from '../../../../schemas/mapping.js';
import type { Address, LineItem, Order, OrderCustomer, OrderEvent, OrderUpdate, VariantOption } from '../../../../schemas/ometria/order.js';
import { compileTable } from '../../../core/engine/mapping.js';
import {
  ACCOUNT_ID_SOURCES,
  FIRSTNAME_SOURCES,
  LASTNAME_SOURCES,
  TIMESTAMP_ROW,
  TRACK_EMAIL_SOURCES,
} from './sources.js';

/**
 * Order event names (trimmed, lower-cased), one row each: the status it sets, whether it updates
 * an order Ometria has rather than sending a whole one, and whether the order counts as revenue
 * (`is_valid`). Ometria upserts orders by id and merges the fields pushed, so a cancellation or
 * refund sends only its status: re-sent, the order's total, date and line items would overwrite
 * Ometria's (docs/DIFFERENCES.md, 18). A refund that lists products is partial: the order keeps
 * counting as revenue (docs/DIFFERENCES.md, 24).
 */
export const ORDER_EVENT_TABLE = {
  'order completed': { status: 'complete', is_valid: true, update: false },
  'order complete': { status: 'complete', is_valid: true, update: false },
  complete: { status: 'complete', is_valid: true, update: false },
  'order shipped': { status: 'shipped', is_valid: true, update: false },
  shipped: { status: 'shipped', is_valid: true, update: false },
  'order pending': { status: 'pending', is_valid: true, update: false },
  pending: { status: 'pending', is_valid: true, update: false },
  'order cancelled': { status: 'cancelled', is_valid: false, update: true },
  cancelled: { status: 'cancelled', is_valid: false, update: true },
  'order refunded': { status: 'refunded', is_valid: false, update: true, withProducts: { status: 'partial_refund' } },
  refunded: { status: 'refunded', is_valid: false, update: true, withProducts: { status: 'partial_refund' } },
} as const satisfies Readonly<Record<string, OrderEvent>>;

export const ORDER_EVENTS: ReadonlyMap<string, OrderEvent> = new Map(Object.entries(ORDER_EVENT_TABLE));

const amount = (key: string) => ({ from: [`properties.${key}`], kind: 'amount' }) as const;
const text = (key: string) => ({ from: [`properties.${key}`], kind: 'text' }) as const;

/**
 * track → order, rows in error-precedence order (`@type`, `status`, `is_valid` come from the order event
 * table). Ometria's names come first, then RudderStack's e-commerce spec names (`total`, `coupon`),
 * so a standard `Order Completed` needs no renaming (docs/DIFFERENCES.md, 19).
 */
export const ORDER_TABLE = {
  id: { from: ['properties.order_id'], kind: 'identifier', required: true },
  timestamp: TIMESTAMP_ROW,
  grand_total: {
    from: ['properties.grand_total', 'properties.total'],
    kind: 'amount',
    required: true,
    missingHint: {
      when: 'properties.revenue',
      say: 'properties.revenue is never read as the total, since it excludes shipping and tax; send properties.total, the amount paid',
    },
  },
  currency: {
    ...text('currency'),
    check: 'currency',
    required: true,
    invalidError: 'Parameter currency should be only 3 characters and must follow format ISO 4217',
  },
  subtotal: amount('subtotal'),
  discount: amount('discount'),
  shipping: amount('shipping'),
  tax: amount('tax'),
  web_id: text('web_id'),
  channel: text('channel'),
  store: text('store'),
  payment_method: text('payment_method'),
  shipping_method: text('shipping_method'),
  coupon_code: { from: ['properties.coupon_code', 'properties.coupon'], kind: 'text' },
  ip_address: { from: ['context.ip', 'properties.ip_address'], kind: 'text' },
  shipping_address: { from: ['properties.shipping_address'], kind: 'object' },
  billing_address: { from: ['properties.billing_address'], kind: 'object' },
  properties: { from: ['properties.custom_fields'], kind: 'object' },
  lineitems: { from: ['properties.products'], kind: 'list' },
} as const satisfies MappingTable<Order>;

/** An order update (a cancellation or refund): the order's id is all it needs. */
export const ORDER_UPDATE_TABLE = {
  id: { from: ['properties.order_id'], kind: 'identifier', required: true },
} as const satisfies MappingTable<OrderUpdate>;

const CUSTOMER_ERROR = 'customer_id and email is required for order related event';

/** `customer` of an order: checked after every row of ORDER_TABLE. */
export const ORDER_CUSTOMER_TABLE = {
  id: { from: ACCOUNT_ID_SOURCES, kind: 'identifier', required: true, missingError: CUSTOMER_ERROR, what: "the customer's account id" },
  email: { from: TRACK_EMAIL_SOURCES, kind: 'text', required: true, missingError: CUSTOMER_ERROR, what: "the customer's email" },
  firstname: { from: FIRSTNAME_SOURCES, kind: 'text' },
  lastname: { from: LASTNAME_SOURCES, kind: 'text' },
} as const satisfies MappingTable<OrderCustomer>;

/** Read from a `shipping_address` / `billing_address` object. */
export const ADDRESS_TABLE = {
  city: { from: ['city'], kind: 'text' },
  state: { from: ['state'], kind: 'text' },
  country_code: { from: ['country_code', 'country', 'countryCode'], kind: 'text', check: 'country' },
  postcode: { from: ['postcode', 'postalCode', 'postalcode'], kind: 'text' },
} as const satisfies MappingTable<Address>;

const itemAmount = (key: string) => ({ from: [key], kind: 'amount' }) as const;

/** Read from each element of `properties.products`; `price` is the e-commerce spec's unit price. */
export const LINE_ITEM_TABLE = {
  product_id: { from: ['product_id'], kind: 'identifier' },
  variant_id: { from: ['variant_id'], kind: 'identifier' },
  quantity: itemAmount('quantity'),
  sku: { from: ['sku'], kind: 'text' },
  unit_price: { from: ['unit_price', 'price'], kind: 'amount' },
  quantity_refunded: itemAmount('quantity_refunded'),
  refunded: itemAmount('refunded'),
  subtotal: itemAmount('subtotal'),
  tax: itemAmount('tax'),
  total: itemAmount('total'),
  discount: itemAmount('discount'),
  is_on_sale: { from: ['is_on_sale'], kind: 'flag' },
  totals: { from: ['totals'], kind: 'object' },
  variant_options: { from: ['variant_options'], kind: 'list' },
  properties: { from: ['properties'], kind: 'object' },
} as const satisfies MappingTable<LineItem>;

/** Read from each element of a line item's `variant_options`, written in this key order. */
export const VARIANT_OPTION_TABLE = {
  id: { from: ['id'], kind: 'identifier' },
  type: { from: ['type'], kind: 'text' },
  label: { from: ['label'], kind: 'text' },
} as const satisfies MappingTable<VariantOption>;

export const orderFields = compileTable(ORDER_TABLE, 'ORDER_TABLE', ['shipping_address', 'billing_address', 'properties', 'lineitems']);
export const orderUpdateFields = compileTable(ORDER_UPDATE_TABLE, 'ORDER_UPDATE_TABLE');
export const orderCustomerFields = compileTable(ORDER_CUSTOMER_TABLE, 'ORDER_CUSTOMER_TABLE');
export const addressFields = compileTable(ADDRESS_TABLE, 'ADDRESS_TABLE');
export const lineItemFields = compileTable(LINE_ITEM_TABLE, 'LINE_ITEM_TABLE', ['variant_options', 'properties']);
export const variantOptionFields = compileTable(VARIANT_OPTION_TABLE, 'VARIANT_OPTION_TABLE');

/** Order property keys that are not custom fields: what the rows read, plus the three the order sets itself. */
export const ORDER_NOT_CUSTOM: ReadonlySet<string> = new Set([
  ...orderFields.readKeys('properties'),
  ...orderCustomerFields.readKeys('properties'),
  'status',
  'customer',
  'is_valid',
]);

/** Property keys an update reads: every other one is named as not sent. */
export const ORDER_UPDATE_READ_KEYS: ReadonlySet<string> = orderUpdateFields.readKeys('properties');

export const LINE_ITEM_READ_KEYS: ReadonlySet<string> = lineItemFields.readKeys('');
export const ADDRESS_READ_KEYS: ReadonlySet<string> = addressFields.readKeys('');
export const VARIANT_OPTION_READ_KEYS: ReadonlySet<string> = variantOptionFields.readKeys('');
