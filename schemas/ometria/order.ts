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

export const OrderStatusSchema = Type.Union([
  Type.Literal('complete'),
  Type.Literal('shipped'),
  Type.Literal('pending'),
  Type.Literal('cancelled'),
  Type.Literal('refunded'),
]);
export type OrderStatus = Static<typeof OrderStatusSchema>;

/**
 * What an order event name sets on the order: its status, and `is_valid` (whether Ometria counts
 * the order as revenue; cancelled and refunded orders are re-sent with `false`).
 */
export const OrderEventSchema = Type.Object({ status: OrderStatusSchema, is_valid: Type.Boolean() });
export type OrderEvent = Static<typeof OrderEventSchema>;

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
