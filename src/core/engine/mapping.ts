import type { MappingTable } from '../../../schemas/mapping.js';
import {
  invalidValueError,
  missingError,
  notANumberError,
  readTable,
  warnInvalid,
  warnTooDeep,
  warnWrongKind,
  type Finishers,
  type ReadTable,
  type SourceScope,
  type TableRow,
} from './interpret.js';
import { KINDS, WRONG_KIND } from './kinds.js';
import type { CompiledPath } from './paths.js';
import { isPlainObject, type PlainObject } from '../plain-object.js';
import { TOO_DEEP } from './sanitize.js';
import { tableCode } from './table-code.js';

export { missingErrorOf, type Finishers, type SourceScope } from './interpret.js';

export interface CompiledTable {
  /** Resolves every row, in table order, into `target`. Throws InstrumentationError on a required field. */
  apply(scope: SourceScope, target?: PlainObject, finish?: Finishers): PlainObject;
  /** Keys of the object at `prefix` ('' = the subject itself) that some row reads. */
  readKeys(prefix: string): Set<string>;
  /** The table's name, as its code is headed. */
  readonly name: string;
  /** The generated JavaScript of `apply`, for reading (npm run tables). */
  readonly code: string;
}

type ApplyFunction = CompiledTable['apply'];

/**
 * A mapping table compiled once, at load time, into a function specialised for its rows
 * (table-code.ts): each source is a constant-key property read on an object looked up once per
 * call, each row's kind conversion and check are called directly, and nothing is interpreted per
 * event. It does what `interpret` (interpret.ts) does with the same table, faster; the table stays
 * the only declaration of its fields, checked once by `readTable`.
 */
export function compileTable<R>(table: MappingTable<R>, name: string, finished: readonly (keyof R & string)[] = []): CompiledTable {
  const read = readTable(table, name, finished);
  const code = tableCode(read);
  // The code is derived from the checked table above, never from input; its helpers are told a
  // row and a source by their places in the table.
  const apply = new Function('helpers', code)(helpers(read)) as ApplyFunction;
  return {
    apply,
    name,
    code,
    readKeys(prefix) {
      const prefixKeys = prefix === '' ? [] : prefix.split('.');
      const keys = new Set<string>();
      for (const row of read.rows) {
        for (const source of row.sources) {
          if (source.root !== 'subject' || source.keys.length !== prefixKeys.length + 1) continue;
          if (prefixKeys.every((k, i) => source.keys[i] === k)) keys.add(source.keys[prefixKeys.length] as string);
        }
      }
      return keys;
    },
  };
}

/** What the generated code is given: the kind rules, the table's rows, and its slow paths (interpret.ts's texts). */
function helpers(table: ReadTable) {
  const rowAt = (row: number): TableRow => table.rows[row] as TableRow;
  const sourceAt = (row: number, source: number): CompiledPath => rowAt(row).sources[source] as CompiledPath;
  return {
    isPlainObject,
    WRONG: WRONG_KIND,
    TOO_DEEP,
    kinds: KINDS,
    rows: table.rows,
    wrongKind: (scope: SourceScope, row: number, source: number, raw: unknown) => warnWrongKind(scope, rowAt(row), sourceAt(row, source), raw),
    tooDeep: (scope: SourceScope, row: number, source: number) => warnTooDeep(scope, sourceAt(row, source)),
    invalid: (scope: SourceScope, row: number, source: number, outcome: 'ignored' | 'dropped', value: string, context?: string) =>
      warnInvalid(scope, rowAt(row), sourceAt(row, source), outcome, value, context),
    missing: (scope: SourceScope, row: number) => missingError(scope, rowAt(row)),
    invalidValue: (scope: SourceScope, row: number, source: number, raw: unknown) => invalidValueError(scope, rowAt(row), sourceAt(row, source), raw),
    notANumber: (scope: SourceScope, row: number, source: number, raw: unknown) => notANumberError(scope, rowAt(row), sourceAt(row, source), raw),
  };
}
