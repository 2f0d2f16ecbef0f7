import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { registerFormats } from '../../../schemas/formats.js';
import { ContactSchema } from '../../../schemas/ometria/contact.js';
import { CustomEventSchema } from '../../../schemas/ometria/custom-event.js';
import { OrderSchema, OrderUpdateSchema } from '../../../schemas/ometria/order.js';
import type { PlainObject } from '../../core/plain-object.js';

registerFormats();

// Compiled once at load: checking a record costs a function call, not a schema walk.
const CHECKERS: ReadonlyMap<string, TypeCheck<TSchema>> = new Map<string, TypeCheck<TSchema>>([
  ['contact', TypeCompiler.Compile(ContactSchema)],
  ['custom_event', TypeCompiler.Compile(CustomEventSchema)],
  ['order', TypeCompiler.Compile(OrderSchema)],
  ['order_update', TypeCompiler.Compile(OrderUpdateSchema)],
]);

/** Why the record breaks Ometria's schema (by name: a record type, or `order_update`), naming the field; undefined when it fits. */
export function checkOmetriaRecord(schema: string, record: PlainObject): string | undefined {
  const checker = CHECKERS.get(schema);
  if (checker === undefined) return `Unknown Ometria record type ${schema}`;
  if (checker.Check(record)) return undefined;
  const first = checker.Errors(record).First();
  const field = first?.path === '' || first === undefined ? '(record)' : first.path;
  return `Record does not fit Ometria's ${schema.replace('_', ' ')} schema at ${field}: ${first?.message ?? 'invalid'}`;
}
