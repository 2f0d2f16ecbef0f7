import type { Kind } from '../../../schemas/mapping.js';
import type { ReadTable, TableRow } from './interpret.js';
import { KINDS } from './kinds.js';
import type { CompiledPath, SourceRoot } from './paths.js';

/** An object rows read from, looked up once per call: a root and the keys down to it (`context.traits`). */
interface Base {
  readonly root: SourceRoot;
  readonly keys: readonly string[];
}

/** A source as the code reads it: one property of a base. */
interface SourceRead {
  readonly source: CompiledPath;
  /** Its place in the row's sources, as the helpers are told it. */
  readonly index: number;
  /** The base it is read on (`o<base>`). */
  readonly base: number;
  readonly key: string;
}

/** A row as the code is written for it. */
interface RowCode {
  readonly row: TableRow;
  /** Its place in the table, as the helpers are told it and its block is labelled (`r<index>`). */
  readonly index: number;
  readonly reads: readonly SourceRead[];
}

/**
 * Table text in code, as a string literal: quoted and escaped by JSON.stringify, and U+2028 and
 * U+2029 escaped too, so that not even a comment can be ended by it.
 */
const lit = (text: string): string => JSON.stringify(text).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** The name the code gives a kind's conversion (KINDS[kind].convert). */
const convertOf = (kind: Kind): string => `to_${kind}`;

/** A required amount with only wrong kinds gets its own error (Parameter <field> must be a number). */
const countsWrongKinds = (row: TableRow): boolean => row.rule.required === true && row.rule.kind === 'amount';

function baseExpression(base: Base): string {
  const steps = [`isPlainObject(t = ${base.root})`, ...base.keys.map((k) => `isPlainObject(t = t[${lit(k)}])`)];
  return `${steps.join(' && ')} ? t : undefined`;
}

function sourceCode(code: RowCode, read: SourceRead): string {
  const { row, index } = code;
  const { rule } = row;
  const label = `r${index}`;
  const where = `${index}, ${read.index}`;
  // The first wrong-kind source of a required amount is named in its error.
  const noteWrong = countsWrongKinds(row) ? `if (wrong === 0) { wrong = ${read.index + 1}; wrongRaw = raw; } ` : '';
  // A config source of a `configOnlyWith` row is read only when the record has that field.
  const gated = rule.configOnlyWith !== undefined && read.source.root === 'config' ? '!gate || ' : '';
  const lines = [
    `    raw = ${gated}o${read.base} === undefined ? undefined : o${read.base}[${lit(read.key)}];`,
    `    if (raw !== undefined && raw !== null && raw !== '') {`,
    `      v = ${convertOf(rule.kind)}(raw);`,
    `      if (v === WRONG) { ${noteWrong}wrongKind(scope, ${where}, raw); }`,
  ];
  if (KINDS[rule.kind].nested) lines.push(`      else if (v === TOO_DEEP) tooDeep(scope, ${where});`);
  if (row.judge === undefined) {
    lines.push(`      else break ${label};`);
  } else {
    const context = rule.context === undefined ? '' : ', ctx';
    lines.push(`      else {`, `        checked = judge${index}(v${context});`, `        if (checked !== undefined) { v = checked; break ${label}; }`);
    if (rule.invalidError !== undefined) {
      lines.push(`        throw invalidValue(scope, ${where}, raw);`);
    } else if (rule.invalidFallsThrough === true) {
      lines.push(`        invalid(scope, ${where}, 'ignored', v${context});`);
    } else {
      lines.push(`        invalid(scope, ${where}, 'dropped', v${context});`);
      lines.push(rule.required === true ? `        throw missing(scope, ${index});` : `        v = undefined; break ${label};`);
    }
    lines.push(`      }`);
  }
  lines.push(`    }`);
  return lines.join('\n');
}

function rowCode(code: RowCode): string {
  const { row, index } = code;
  const { rule, field } = row;
  const label = `r${index}`;
  const describe = [
    rule.kind,
    rule.check === undefined ? undefined : rule.context === undefined ? rule.check : `${rule.check} in ${lit(rule.context)}`,
    rule.required === true ? 'required' : undefined,
    rule.configOnlyWith === undefined ? undefined : `config only with ${lit(rule.configOnlyWith)}`,
    row.finished ? 'finished by the caller' : undefined,
  ].filter((x) => x !== undefined).join(', ');
  // The row's context: the record's value of that field, else the service's default for it.
  const prelude = [
    ...(rule.context === undefined
      ? []
      : [`  ctx = target[${lit(rule.context)}]; if (ctx === undefined && scope.defaults !== undefined) ctx = scope.defaults[${lit(rule.context)}];`]),
    ...(rule.configOnlyWith === undefined ? [] : [`  gate = (scope.record ?? target)[${lit(rule.configOnlyWith)}] !== undefined;`]),
  ];
  let missing = `    v = undefined;`;
  if (countsWrongKinds(row)) {
    missing = [`    if (wrong !== 0) throw notANumber(scope, ${index}, wrong - 1, wrongRaw);`, `    throw missing(scope, ${index});`].join('\n');
  } else if (rule.required === true) {
    missing = `    throw missing(scope, ${index});`;
  }
  const store = row.finished
    ? [
        `  if (v !== undefined) {`,
        `    if (finish !== undefined && (f = finish[${lit(field)}]) !== undefined) v = f(v);`,
        `    if (v !== undefined) target[${lit(field)}] = v;`,
        `  }`,
      ]
    : [`  if (v !== undefined) target[${lit(field)}] = v;`];
  return [
    `  // ${lit(field)} ← ${code.reads.map((read) => lit(read.source.text)).join(', ')} (${describe})`,
    ...(countsWrongKinds(row) ? [`  wrong = 0;`] : []),
    ...prelude,
    `  ${label}: {`,
    ...code.reads.map((read) => sourceCode(code, read)),
    missing,
    `  }`,
    ...store,
  ].join('\n');
}

/**
 * The JavaScript body of a function of `helpers` (see compileTable) that returns the table's
 * `apply(scope, target, finish)`: the source objects read once, then one labelled block per row,
 * in table order, trying its sources in precedence order, each value made its kind by the kind's
 * own function (kinds.ts) and judged by the row's check; slow paths (warnings, errors) call
 * helpers with the row's and the source's place in the table. It does what `interpret` does
 * (interpret.ts), and a property test holds the two to the same answers.
 *
 * Table text reaches the code only as JSON string literals (field names, keys, and the comments
 * that head each row), and the table's name only as it is checked (`tables/<name>.js` in stack traces).
 */
export function tableCode(table: ReadTable): string {
  // Many rows read from the same few objects (traits, context.traits, properties …): each is
  // looked up once per apply, and a source is then one property read on it.
  const bases: Base[] = [];
  const baseIndex = new Map<string, number>();
  const rows: RowCode[] = table.rows.map((row, index) => ({
    row,
    index,
    reads: row.sources.map((source, sourceIndex): SourceRead => {
      const keys = source.keys.slice(0, -1);
      const id = JSON.stringify([source.root, ...keys]);
      let base = baseIndex.get(id);
      if (base === undefined) {
        base = bases.push({ root: source.root, keys }) - 1;
        baseIndex.set(id, base);
      }
      return { source, index: sourceIndex, base, key: source.keys[source.keys.length - 1] as string };
    }),
  }));
  const kinds = [...new Set(table.rows.map((row) => row.rule.kind))];
  const judged = rows.filter((code) => code.row.judge !== undefined);
  return [
    `// ${lit(table.name)}: compiled from its mapping table at start-up (src/core/engine/mapping.ts).`,
    `const { isPlainObject, WRONG, TOO_DEEP, kinds, rows, wrongKind, tooDeep, invalid, missing, invalidValue, notANumber } = helpers;`,
    `const ${kinds.map((kind) => `${convertOf(kind)} = kinds.${kind}.convert`).join(', ')};`,
    ...(judged.length === 0 ? [] : [`const ${judged.map(({ index }) => `judge${index} = rows[${index}].judge`).join(', ')};`]),
    `return function apply(scope, target = {}, finish) {`,
    `  const subject = scope.subject, integrations = scope.integrations, config = scope.config;`,
    `  let t, raw, v, wrong, wrongRaw, checked, f, ctx, gate;`,
    ...bases.map((base, i) => `  const o${i} = ${baseExpression(base)};`),
    ...rows.map(rowCode),
    `  return target;`,
    `};`,
    `//# sourceURL=tables/${table.name}.js`,
  ].join('\n');
}
