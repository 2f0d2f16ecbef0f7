import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { registerFormats } from '../../../schemas/formats.js';
import { ContactSchema } from '../../../schemas/ometria/contact.js';
import { CustomEventSchema } from '../../../schemas/ometria/custom-event.js';
import { OrderSchema } from '../../../schemas/ometria/order.js';
import type { PlainObject } from '../../core/plain-object.js';

registerFormats();

// Compiled once at load: checking a record costs a function call, not a schema walk.
const CHECKERS: ReadonlyMap<string, TypeCheck<TSchema>> = new Map<string, TypeCheck<TSchema>>([
  ['contact', TypeCompiler.Compile(ContactSchema)],
  ['custom_event', TypeCompiler.Compile(CustomEventSchema)],
  ['order', TypeCompiler.Compile(OrderSchema)],
]);

/** Why the record breaks Ometria's schema for its type, naming the field; undefined when it fits. */
export function checkOmetriaRecord(type: string, record: PlainObject): string | undefined {
  const checker = CHECKERS.get(type);
  if (checker === undefined) return `Unknown Ometria record type ${type}`;
  if (checker.Check(record)) return undefined;
  const first = checker.Errors(record).First();
  const field = first?.path === '' || first === undefined ? '(record)' : first.path;
  return `Record does not fit Ometria's ${type} schema at ${field}: ${first?.message ?? 'invalid'}`;
}
