import { Type, type TRecord, type TString, type TUnknown } from '@sinclair/typebox';

// Field kinds shared by Ometria's record schemas (docs/MAPPING.md, "Kinds").
export const IdentifierSchema = Type.String({ minLength: 1 });
export const TextSchema = Type.String();
export const IsoDateTimeSchema = Type.String({ format: 'date-time' });
export const AmountSchema = Type.Number();
/**
 * Any plain object (custom properties, totals), typed as a string-keyed record. Declared as an
 * object without properties rather than Type.Record: a record schema makes the compiled check
 * test a key pattern against every key of every such object, which cost a third of checking a
 * record, to accept any key anyway.
 */
export const OpenObjectSchema = Type.Object({}) as unknown as TRecord<TString, TUnknown>;
export const ListSchema = Type.Array(Type.Unknown());
