import type { TSchema } from '@sinclair/typebox';
import { ContactSchema } from '../../../schemas/ometria/contact.js';
import { CustomEventSchema } from '../../../schemas/ometria/custom-event.js';
import { OrderSchema, OrderUpdateSchema } from '../../../schemas/ometria/order.js';
import { recordCheck } from '../../core/transform/record-check.js';

/** Ometria's record schemas by name: the record types, and `order_update` (an order's update shape). */
export const OMETRIA_RECORD_SCHEMAS: Readonly<Record<string, TSchema>> = {
  contact: ContactSchema,
  custom_event: CustomEventSchema,
  order: OrderSchema,
  order_update: OrderUpdateSchema,
};

/** Why the record breaks Ometria's schema (by name: a record type, or `order_update`), naming the field; undefined when it fits. */
export const checkOmetriaRecord = recordCheck('Ometria', OMETRIA_RECORD_SCHEMAS);
