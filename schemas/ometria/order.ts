import { Type, type Static } from '@sinclair/typebox';
import { AmountSchema, IdentifierSchema, IsoDateTimeSchema, OpenObjectSchema, TextSchema } from './fields.js';

export const AddressSchema = Type.Object(
  {
    city: Type.Optional(TextSchema),
    state: Type.Optional(TextSchema),
    country_code: Type.Optional(TextSchema),
    postcode: Type.Optional(TextSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type Address = Static<typeof AddressSchema>;

export const VariantOptionSchema = Type.Object(
  { id: IdentifierSchema, type: TextSchema, label: TextSchema },
  { additionalProperties: false },
);
export type VariantOption = Static<typeof VariantOptionSchema>;

export const LineItemSchema = Type.Object(
  {
    product_id: IdentifierSchema,
    variant_id: Type.Optional(IdentifierSchema),
    quantity: Type.Number({ exclusiveMinimum: 0 }),
    sku: Type.Optional(TextSchema),
    unit_price: Type.Optional(AmountSchema),
    quantity_refunded: Type.Optional(AmountSchema),
    refunded: Type.Optional(AmountSchema),
    subtotal: Type.Optional(AmountSchema),
    tax: Type.Optional(AmountSchema),
    total: Type.Optional(AmountSchema),
    discount: Type.Optional(AmountSchema),
    is_on_sale: Type.Optional(Type.Boolean()),
    totals: Type.Optional(OpenObjectSchema),
    variant_options: Type.Optional(Type.Array(VariantOptionSchema, { minItems: 1 })),
    properties: Type.Optional(OpenObjectSchema),
  },
  { additionalProperties: false },
);
export type LineItem = Static<typeof LineItemSchema>;

export const OrderCustomerSchema = Type.Object(
  {
    id: IdentifierSchema,
    email: Type.String({ minLength: 1 }),
    firstname: Type.Optional(TextSchema),
    lastname: Type.Optional(TextSchema),
  },
  { additionalProperties: false },
);
export type OrderCustomer = Static<typeof OrderCustomerSchema>;

/** The statuses of a whole order, sent with its date, totals, customer and line items. */
export const OrderStatusSchema = Type.Union([Type.Literal('complete'), Type.Literal('shipped'), Type.Literal('pending')]);
/** The statuses an update sets on an order Ometria already has. */
export const OrderUpdateStatusSchema = Type.Union([Type.Literal('cancelled'), Type.Literal('refunded'), Type.Literal('partial_refund')]);

/** What an event does to the order: its status, and whether Ometria counts it as revenue (`is_valid`; absent leaves it as it was). */
const OrderEffectSchema = Type.Object({
  status: Type.Union([OrderStatusSchema, OrderUpdateStatusSchema]),
  is_valid: Type.Optional(Type.Boolean()),
});

/**
 * What an order event name does (docs/MAPPING.md, "order"): a whole order, or an update of an
 * order Ometria has (only `id`, `status` and `is_valid` are sent), and, for an update that can
 * list products (a refund), what it does when it does (a partial refund).
 */
export const OrderEventSchema = Type.Composite([
  OrderEffectSchema,
  Type.Object({ update: Type.Boolean(), withProducts: Type.Optional(OrderEffectSchema) }),
]);
export type OrderEvent = Static<typeof OrderEventSchema>;

/**
 * An update of an order Ometria has: exactly these keys, never the order's date, totals, customer
 * or line items, which Ometria would overwrite (docs/DIFFERENCES.md, 18, 24).
 */
export const OrderUpdateSchema = Type.Object(
  {
    '@type': Type.Literal('order'),
    id: IdentifierSchema,
    status: OrderUpdateStatusSchema,
    is_valid: Type.Optional(Type.Literal(false)),
  },
  { additionalProperties: false },
);
export type OrderUpdate = Static<typeof OrderUpdateSchema>;

export const OrderSchema = Type.Object(
  {
    '@type': Type.Literal('order'),
    status: OrderStatusSchema,
    is_valid: Type.Boolean(),
    id: IdentifierSchema,
    timestamp: IsoDateTimeSchema,
    grand_total: AmountSchema,
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    subtotal: Type.Optional(AmountSchema),
    discount: Type.Optional(AmountSchema),
    shipping: Type.Optional(AmountSchema),
    tax: Type.Optional(AmountSchema),
    web_id: Type.Optional(TextSchema),
    channel: Type.Optional(TextSchema),
    store: Type.Optional(TextSchema),
    payment_method: Type.Optional(TextSchema),
    shipping_method: Type.Optional(TextSchema),
    coupon_code: Type.Optional(TextSchema),
    ip_address: Type.Optional(TextSchema),
    shipping_address: Type.Optional(AddressSchema),
    billing_address: Type.Optional(AddressSchema),
    customer: OrderCustomerSchema,
    properties: Type.Optional(OpenObjectSchema),
    lineitems: Type.Optional(Type.Array(LineItemSchema, { minItems: 1 })),
  },
  { additionalProperties: false },
);
export type Order = Static<typeof OrderSchema>;
