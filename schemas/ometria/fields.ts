import { Type } from '@sinclair/typebox';

// Field kinds shared by Ometria's record schemas (SPEC §5 "Types").
export const IdentifierSchema = Type.String({ minLength: 1 });
export const TextSchema = Type.String();
export const IsoDateTimeSchema = Type.String({ format: 'date-time' });
export const AmountSchema = Type.Number();
export const OpenObjectSchema = Type.Record(Type.String(), Type.Unknown());
export const ListSchema = Type.Array(Type.Unknown());
