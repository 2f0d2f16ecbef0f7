/**
 * What a mapping row says, in words: everything here is read from the row's data (sources, kind,
 * check, values, required, error texts), never typed beside it. Used by scripts/mapping-docs.ts.
 */
import { KindSchema, type CheckName, type FieldRule, type Kind } from '../schemas/mapping.js';
import { CHECKS } from '../src/core/engine/checks/registry.js';
import { kindLabel } from '../src/core/engine/kinds.js';
import { missingErrorOf } from '../src/core/engine/mapping.js';

export type Table = Readonly<Record<string, FieldRule>>;

/** How source paths are written in the docs. */
export interface Notation {
  /** Written for `integrations:<key>`, e.g. `integrations.Ometria`. */
  readonly integrations: string;
  /** Written for `config:<key>`, e.g. `destination.Config`. */
  readonly config: string;
}

const INTEGRATIONS = 'integrations:';
const CONFIG = 'config:';

/** Inline code, safe inside a table cell. */
export function code(text: string): string {
  return `\`${text.replaceAll('|', '\\|')}\``;
}

/** A Markdown table; cells are written as given. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A source as a path: `traits.email`, `integrations.Ometria.listingId`, `destination.Config.apiKey`. */
export function sourcePath(source: string, notation: Notation, subject = ''): string {
  if (source.startsWith(INTEGRATIONS)) return `${notation.integrations}.${source.slice(INTEGRATIONS.length)}`;
  if (source.startsWith(CONFIG)) return `${notation.config}.${source.slice(CONFIG.length)}`;
  return `${subject}${source}`;
}

/** A required amount whose sources held only values of the wrong kind has its own text (notANumberError, src/core/engine/interpret.ts). */
export function notANumberText(field: string, rule: FieldRule): string | undefined {
  return rule.required === true && rule.kind === 'amount' ? `Parameter ${field} must be a number` : undefined;
}

export const KINDS: readonly Kind[] = KindSchema.anyOf.map((literal) => literal.const);

export function kindCell(kind: Kind): string {
  return `${code(kind)}: ${kindLabel(kind)}`;
}

/** The accepted inputs of a `oneOf` row, grouped by the value each is written as. */
export function oneOfValues(rule: FieldRule): string {
  const byOutput = new Map<string, string[]>();
  for (const [input, output] of Object.entries(rule.values ?? {})) {
    const inputs = byOutput.get(output) ?? [];
    inputs.push(input);
    byOutput.set(output, inputs);
  }
  const groups = [...byOutput].map(([output, inputs]) => `${inputs.map(code).join(', ')} → ${code(output)}`);
  const matching =
    rule.fold === 'lower'
      ? 'matched after trimming and lower-casing'
      : rule.fold === 'upper'
        ? 'matched after trimming and upper-casing'
        : 'exact spelling only: not trimmed, case-sensitive';
  return `${groups.join('; ')} (${matching})`;
}

/** The check, and the field it reads its value in (`e164` in `country_id`), with the setting standing in for that field. */
function checkCell(rule: FieldRule, options: RowsTableOptions): string {
  if (rule.check === undefined) return '';
  const check = rule.check === 'oneOf' ? `${code('oneOf')}: ${oneOfValues(rule)}` : code(rule.check);
  if (rule.context === undefined) return check;
  const setting = options.contextSettings?.[rule.context];
  return `${check} in ${code(rule.context)}${setting === undefined ? '' : `, else the setting ${code(setting)}`}`;
}

/** The row's sources; a `config:` source of a `configOnlyWith` row says which field it needs. */
function sourcesCell(rule: FieldRule, options: RowsTableOptions): string {
  return rule.from
    .map((source) => {
      const path = code(sourcePath(source, options.notation, options.subject));
      return rule.configOnlyWith !== undefined && source.startsWith(CONFIG) ? `${path} (only with ${code(rule.configOnlyWith)})` : path;
    })
    .join(', ');
}

function missingCell(field: string, rule: FieldRule, options: RowsTableOptions): string {
  if (rule.required !== true) return 'left out';
  const notANumber = notANumberText(field, rule);
  const parts = [`400 ${code(missingErrorOf(rule))}`];
  if (rule.missingHint !== undefined) {
    const when = code(sourcePath(rule.missingHint.when, options.notation, options.subject));
    parts.push(`when ${when} holds a value, the error goes on with ${code(rule.missingHint.say)}`);
  }
  if (notANumber !== undefined) parts.push(`400 ${code(notANumber)} when the sources held only values of the wrong kind`);
  return parts.join('; ');
}

function invalidCell(rule: FieldRule): string {
  if (rule.check === undefined) return '';
  if (rule.invalidError !== undefined) return `400 ${code(rule.invalidError)}`;
  if (rule.invalidFallsThrough === true) return 'ignored with a warning; the next source applies';
  if (rule.required === true) return 'a warning, then the 400 of a missing value';
  return 'dropped with a warning';
}

export interface RowsTableOptions {
  readonly notation: Notation;
  /** Written before plain source paths, e.g. `properties.products[n].` for line items. */
  readonly subject?: string;
  /** Written before field names, e.g. `channels.sms.` */
  readonly fieldPrefix?: string;
  /** The service setting that stands in for a check's context field when the record has none, by field. */
  readonly contextSettings?: Readonly<Record<string, string>>;
}

/** One row per field, in table order (the order rows are applied, and so error precedence). */
export function rowsTable(table: Table, options: RowsTableOptions): string {
  const rows = Object.entries(table).map(([field, rule], index) => [
    String(index + 1),
    code(`${options.fieldPrefix ?? ''}${field}`),
    sourcesCell(rule, options),
    kindCell(rule.kind),
    checkCell(rule, options),
    rule.required === true ? '**yes**' : '',
    missingCell(field, rule, options),
    invalidCell(rule),
  ]);
  return markdownTable(['#', 'Ometria field', 'sources, first present wins', 'kind', 'check', 'required', 'when missing', 'when invalid'], rows);
}

/**
 * The warnings a check writes for an invalid value (`<path>: <this>; dropped`), from the check
 * registry: one, or one per sample value (and context) when its reason depends on them.
 */
export function checkWarnings(check: CheckName, samples: readonly { readonly value: string; readonly context?: string }[] = []): string[] {
  // oneOf lists the row's accepted inputs; a placeholder row stands for them.
  const rule: FieldRule = { from: ['x'], kind: 'text', values: { '<accepted inputs>': '' } };
  if (samples.length === 0) return [CHECKS[check].invalid(rule)];
  const reasons = samples.map(({ value, context }) => CHECKS[check].invalid(rule, value, context));
  const repeated = reasons.find((reason, i) => reasons.indexOf(reason) !== i);
  if (repeated !== undefined) throw new Error(`Two sample values of the ${check} check give the same warning (${repeated}): keep one sample per reason`);
  return reasons;
}

/** Sorted (code unit order, so the output never depends on a locale). */
export function sortedKeys(keys: Iterable<string>): string[] {
  return [...keys].sort();
}
