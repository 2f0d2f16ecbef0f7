import { Type, type Static } from '@sinclair/typebox';

/**
 * The kind a field's value must have (docs/MAPPING.md, "Kinds"). A source value of another kind is skipped
 * with a warning and the row's next source applies.
 */
export const KindSchema = Type.Union([
  Type.Literal('identifier'), // non-empty string; numbers become strings
  Type.Literal('text'), // string; numbers become strings
  Type.Literal('amount'), // finite number; plain decimal strings are converted
  Type.Literal('flag'), // boolean only
  Type.Literal('list'), // array
  Type.Literal('object'), // plain object (not an array)
]);
export type Kind = Static<typeof KindSchema>;

/** The closed set of validity checks a row may apply to the first present value of its kind. */
export const CheckNameSchema = Type.Union([
  Type.Literal('e164'),
  Type.Literal('isoDateTime'),
  Type.Literal('currency'),
  Type.Literal('oneOf'),
  Type.Literal('country'),
  Type.Literal('timezone'),
]);
export type CheckName = Static<typeof CheckNameSchema>;

/** A key a source path goes through: letters, digits and `_`, not starting with a digit. */
const KEY = '[A-Za-z_][A-Za-z0-9_]*';

/**
 * A record field a row writes (or names as its context or gate): a key, or one of Ometria's
 * `@` fields (`@type`, `@add_to_lists`). Table text goes into the code a table is compiled into,
 * so it is held to this shape.
 */
export const FIELD_NAME = new RegExp(`^@?${KEY}$`);

/** A source path: dot-separated keys, read on the subject, or after `integrations:` or `config:`. */
export const SOURCE_PATH = new RegExp(`^(?:integrations:|config:)?${KEY}(?:\\.${KEY})*$`);

const FieldNameSchema = Type.String({ pattern: FIELD_NAME.source });
const SourcePathSchema = Type.String({ pattern: SOURCE_PATH.source });

/**
 * One row of a mapping table: where a record field comes from and what it must be.
 *
 * Source paths are dotted paths on the row's subject (the message, or a line item …);
 * `integrations:<key>` reads the message's integrations object and `config:<key>` the
 * destination Config.
 */
export const FieldRuleSchema = Type.Object({
  from: Type.Array(SourcePathSchema, { minItems: 1 }),
  kind: KindSchema,
  check: Type.Optional(CheckNameSchema),
  /** For `oneOf`: accepted inputs (after trimming and `fold`) and the value each is written as. */
  values: Type.Optional(Type.Record(Type.String(), Type.String())),
  fold: Type.Optional(Type.Union([Type.Literal('lower'), Type.Literal('upper')])),
  required: Type.Optional(Type.Boolean()),
  /** Error text when a required field is missing (default: `Missing required value from [paths]`). */
  missingError: Type.Optional(Type.String()),
  /**
   * What the field is, for a `missingError` that does not list the sources: the error then goes on
   * with `: set <sources> (<what>)`.
   */
  what: Type.Optional(Type.String()),
  /** Error text when the value fails its check; without it an invalid value is dropped with a warning. */
  invalidError: Type.Optional(Type.String()),
  /** An invalid value is skipped like a wrong kind, so the next source applies. */
  invalidFallsThrough: Type.Optional(Type.Boolean()),
  /**
   * A field of the same table, on an earlier row, whose value the check reads (a phone number is
   * read in the contact's `country_id`); when the record has none, the service's default for that
   * field applies (SourceScope.defaults).
   */
  context: Type.Optional(FieldNameSchema),
  /**
   * The row's `config:` sources are read only when the record has this field: a destination
   * setting that only means something beside it (SMS consent beside a phone number).
   */
  configOnlyWith: Type.Optional(FieldNameSchema),
  /**
   * For a required row: when it is missing and the source path `when` holds a value, the error
   * goes on with `say` (why that value is not used).
   */
  missingHint: Type.Optional(Type.Object({ when: SourcePathSchema, say: Type.String({ minLength: 1 }) }, { additionalProperties: false })),
}, { additionalProperties: false });
/** A row as tables declare it: `as const` data, so its lists are readonly. */
export type FieldRule = Readonly<Omit<Static<typeof FieldRuleSchema>, 'from' | 'missingHint'>> & {
  readonly from: readonly string[];
  readonly missingHint?: { readonly when: string; readonly say: string };
};

/** A table: its fields, each with its row. */
export const MappingTableSchema = Type.Record(FieldNameSchema, FieldRuleSchema, { additionalProperties: false });

/** A mapping table for record type R: row order is evaluation order (and error precedence). */
export type MappingTable<R> = { readonly [K in keyof R]?: FieldRule };
