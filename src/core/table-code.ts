import type { FieldRule, Kind } from '../../schemas/mapping.js';

/** A row as the code generator sees it: its field, rule, and each source's object slot and key. */
export interface RowPlan {
  readonly field: string;
  readonly rule: FieldRule;
  /** Per source: the index of the object it reads (see BasePlan) and the key read on it. */
  readonly sources: readonly { readonly base: number; readonly last: string; readonly index: number; readonly root: BasePlan['root'] }[];
  /** Index of the row's check function in the helpers' `checks`, when it has a check. */
  readonly check?: number;
  readonly missingError: string;
  /** What follows the missing error after `: `, when its text does not say where to set the field. */
  readonly missingDetail?: string;
  /** Whether `apply`'s caller finishes the value (Finishers): only such rows look for a finisher. */
  readonly finished: boolean;
  /** Index of the row's missing-value hint in the helpers' `hints`, when it has one. */
  readonly hint?: number;
}

/** An object the rows read from: a root (subject, integrations, config) and the keys down to it. */
export interface BasePlan {
  readonly root: 'subject' | 'integrations' | 'config';
  readonly keys: readonly string[];
}

const lit = (value: string): string => JSON.stringify(value);

/** How a present raw value becomes the field's kind: an expression giving the value or WRONG. */
const CONVERT: Readonly<Record<Kind, string>> = {
  identifier: `typeof raw === 'string' ? raw : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : WRONG`,
  text: `typeof raw === 'string' ? raw : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : WRONG`,
  amount: `typeof raw === 'number' ? (Number.isFinite(raw) ? raw : WRONG) : typeof raw === 'string' && PLAIN_DECIMAL.test(raw) ? Number(raw) : WRONG`,
  flag: `typeof raw === 'boolean' ? raw : WRONG`,
  list: `Array.isArray(raw) ? sanitize(raw) : WRONG`,
  object: `isPlainObject(raw) ? sanitize(raw) : WRONG`,
};

function baseExpression(base: BasePlan): string {
  const steps = [`isPlainObject(t = ${base.root})`, ...base.keys.map((k) => `isPlainObject(t = t[${lit(k)}])`)];
  return `${steps.join(' && ')} ? t : undefined`;
}

/** A required amount with only wrong kinds gets its own error text. */
const countsWrongKinds = (rule: FieldRule): boolean => rule.required === true && rule.kind === 'amount';

function sourceCode(row: RowPlan, rowIndex: number, source: RowPlan['sources'][number]): string {
  const { rule } = row;
  const label = `r${rowIndex}`;
  // The first wrong-kind source of a required amount is named in its error.
  const noteWrong = countsWrongKinds(rule) ? `if (wrong === 0) { wrong = ${source.index + 1}; wrongRaw = raw; } ` : '';
  // A config source of a `configOnlyWith` row is read only when the record has that field.
  const gated = rule.configOnlyWith !== undefined && source.root === 'config' ? '!gate || ' : '';
  const lines = [
    `    raw = ${gated}o${source.base} === undefined ? undefined : o${source.base}[${lit(source.last)}];`,
    `    if (raw !== undefined && raw !== null && raw !== '') {`,
    `      v = ${CONVERT[rule.kind]};`,
    `      if (v === WRONG) { ${noteWrong}wrongKind(scope, ${source.index}, raw); }`,
  ];
  if (rule.kind === 'list' || rule.kind === 'object') lines.push(`      else if (v === TOO_DEEP) tooDeep(scope, ${source.index});`);
  if (row.check === undefined) {
    lines.push(`      else break ${label};`);
  } else {
    const context = rule.context === undefined ? '' : ', ctx';
    lines.push(`      else {`, `        checked = checks[${row.check}](v${context});`, `        if (checked !== undefined) { v = checked; break ${label}; }`);
    if (rule.invalidError !== undefined) {
      lines.push(`        throw fail(${lit(rule.invalidError)}, shown(scope, ${source.index}, ${row.check}, raw));`);
    } else if (rule.invalidFallsThrough === true) {
      lines.push(`        invalid(scope, ${source.index}, ${row.check}, 'ignored', v${context});`);
    } else {
      lines.push(`        invalid(scope, ${source.index}, ${row.check}, 'dropped', v${context});`);
      lines.push(rule.required === true ? `        throw fail(${missingArgs(row)});` : `        v = undefined; break ${label};`);
    }
    lines.push(`      }`);
  }
  lines.push(`    }`);
  return lines.join('\n');
}

/** The arguments of `fail` for a missing required field: its text, and its detail when it has one. */
function missingArgs(row: RowPlan): string {
  const detail = row.missingDetail === undefined ? 'undefined' : lit(row.missingDetail);
  if (row.hint !== undefined) return `${lit(row.missingError)}, hint(scope, ${row.hint}, ${detail})`;
  return row.missingDetail === undefined ? lit(row.missingError) : `${lit(row.missingError)}, ${detail}`;
}

function rowCode(row: RowPlan, rowIndex: number, texts: readonly string[]): string {
  const { rule, field } = row;
  const label = `r${rowIndex}`;
  const describe = [
    rule.kind,
    rule.check === undefined ? undefined : rule.context === undefined ? rule.check : `${rule.check} in ${rule.context}`,
    rule.required === true ? 'required' : undefined,
    rule.configOnlyWith === undefined ? undefined : `config only with ${rule.configOnlyWith}`,
  ].filter((x) => x !== undefined).join(', ');
  // The row's context: the record's value of that field, else the service's default for it.
  const prelude = [
    ...(rule.context === undefined
      ? []
      : [`  ctx = target[${lit(rule.context)}]; if (ctx === undefined && scope.defaults !== undefined) ctx = scope.defaults[${lit(rule.context)}];`]),
    ...(rule.configOnlyWith === undefined ? [] : [`  gate = (scope.record ?? target)[${lit(rule.configOnlyWith)}] !== undefined;`]),
  ];
  let missing = `    v = undefined;`;
  if (countsWrongKinds(rule)) {
    missing = [
      `    if (wrong !== 0) throw fail(${lit(`Parameter ${field} must be a number`)}, notANumber(scope, wrong - 1, wrongRaw));`,
      `    throw fail(${missingArgs(row)});`,
    ].join('\n');
  } else if (rule.required === true) {
    missing = `    throw fail(${missingArgs(row)});`;
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
    `  // ${field} ← ${texts.join(', ')} (${describe}${row.finished ? ', finished by the caller' : ''})`,
    ...(countsWrongKinds(rule) ? [`  wrong = 0;`] : []),
    ...prelude,
    `  ${label}: {`,
    ...row.sources.map((source) => sourceCode(row, rowIndex, source)),
    missing,
    `  }`,
    ...store,
  ].join('\n');
}

/**
 * The JavaScript body of one table's `apply(scope, target, finish)`: the source objects read once,
 * then one labelled block per row, in table order, trying its sources in precedence order with the
 * kind conversion and check written out (docs/MAPPING.md, "How to read these tables"). Slow paths (warnings, errors) call helpers.
 */
export function tableCode(name: string, bases: readonly BasePlan[], rows: readonly RowPlan[], sourceTexts: readonly string[]): string {
  const rowTexts = rows.map((row) => row.sources.map((s) => sourceTexts[s.index] as string));
  return [
    `// ${name}: compiled from its mapping table at start-up (src/core/mapping.ts).`,
    `const { isPlainObject, sanitize, WRONG, TOO_DEEP, PLAIN_DECIMAL, checks, wrongKind, tooDeep, invalid, fail, shown, notANumber, hint } = helpers;`,
    `return function apply(scope, target = {}, finish) {`,
    `  const subject = scope.subject, integrations = scope.integrations, config = scope.config;`,
    `  let t, raw, v, wrong, wrongRaw, checked, f, ctx, gate;`,
    ...bases.map((base, i) => `  const o${i} = ${baseExpression(base)};`),
    ...rows.map((row, i) => rowCode(row, i, rowTexts[i] as string[])),
    `  return target;`,
    `};`,
  ].join('\n');
}
