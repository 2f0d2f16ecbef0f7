import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { registerFormats } from '../../../schemas/formats.js';
import type { PlainObject } from '../plain-object.js';

/** Says why a record breaks its schema (by name), naming the field; undefined when it fits. */
export type RecordCheck = (schema: string, record: PlainObject) => string | undefined;

const checks = new WeakMap<Readonly<Record<string, TSchema>>, RecordCheck>();

/**
 * The check of a destination's records against its schemas, compiled once per set of schemas (at
 * first use): checking a record then costs a function call, not a schema walk.
 */
export function recordCheck(displayName: string, schemas: Readonly<Record<string, TSchema>>): RecordCheck {
  const known = checks.get(schemas);
  if (known !== undefined) return known;
  registerFormats();
  const checkers = new Map<string, TypeCheck<TSchema>>(Object.entries(schemas).map(([name, schema]) => [name, TypeCompiler.Compile(schema)]));
  const check: RecordCheck = (schema, record) => {
    const checker = checkers.get(schema);
    if (checker === undefined) return `Unknown ${displayName} record type ${schema}`;
    if (checker.Check(record)) return undefined;
    const first = checker.Errors(record).First();
    const field = first?.path === '' || first === undefined ? '(record)' : first.path;
    return `Record does not fit ${displayName}'s ${schema.replace('_', ' ')} schema at ${field}: ${first?.message ?? 'invalid'}`;
  };
  checks.set(schemas, check);
  return check;
}
