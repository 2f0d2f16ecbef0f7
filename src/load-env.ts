import { Kind, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import { PLAIN_DECIMAL } from './plain-decimal.js';

// Reading settings from an environment against a TypeBox schema: shared by the service
// (src/config.ts) and the mock Ometria (src/mock-ometria/env.ts), and tied to neither, so the mock
// loads none of the service's code. The caller passes the environment in (process.env at start-up).

/** A start-up failure listing every bad variable by name. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function convert(schema: TSchema, raw: string): unknown {
  if (schema[Kind] === 'Integer' || schema[Kind] === 'Number') {
    return PLAIN_DECIMAL.test(raw) ? Number(raw) : raw;
  }
  if (schema[Kind] === 'Boolean') {
    const lower = raw.trim().toLowerCase();
    if (lower === 'true' || lower === '1') return true;
    if (lower === 'false' || lower === '0') return false;
    return raw;
  }
  // A list of strings, comma-separated; an empty entry (a trailing comma) is dropped.
  if (schema[Kind] === 'Array') {
    return raw
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
  }
  return raw.trim();
}

/**
 * TypeBox's message, except for a union, whose own ("Expected union value") says nothing: a union
 * of literals lists them, and otherwise its one open member (an origin, next to '' for unset) says
 * what was wrong.
 */
function explain(error: ValueError): string {
  if (error.type !== ValueErrorType.Union) return error.message;
  const members = (error.schema.anyOf ?? []) as TSchema[];
  const open = members.findIndex((member) => member[Kind] !== 'Literal');
  if (open === -1) return `Expected one of ${members.map((member) => JSON.stringify(member.const)).join(', ')}`;
  return error.errors[open]?.First()?.message ?? error.message;
}

/**
 * A value as it may be shown: a URL's credentials masked, everything from `scheme://` to the last
 * `@` (a password may hold `@`, `/`, `,` or a space), and a `password=` parameter's value.
 */
export function withoutPassword(raw: string): string {
  return raw.replace(/([a-z][a-z0-9+.-]*:\/\/).*@/gi, '$1***@').replace(/([?&]password=)[^&]*/gi, '$1***');
}

/**
 * Settings read from the environment against `schema`: an unset or empty variable takes its
 * default; every bad one is reported with its name and what it must be.
 */
export function loadEnv<S extends TObject>(schema: S, env: Readonly<Record<string, string | undefined>>): Static<S> {
  const result: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, property] of Object.entries(schema.properties) as [string, TSchema][]) {
    const raw = env[name];
    const value = raw === undefined || raw.trim() === '' ? Value.Clone(property.default) : convert(property, raw);
    if (!Value.Check(property, value)) {
      const head = `${name}=${JSON.stringify(withoutPassword(raw ?? ''))}`;
      const about = `(${String(property.description ?? '')})`;
      if (Array.isArray(value)) {
        // A list names each bad entry: with several origins, which one is wrong is the news.
        const bad = new Map<unknown, string>();
        for (const error of Value.Errors(property, value)) {
          const entry: unknown = value[Number(error.path.split('/')[1])];
          if (!bad.has(entry)) bad.set(entry, explain(error));
        }
        for (const [entry, why] of bad) problems.push(`${head}: entry ${JSON.stringify(withoutPassword(String(entry)))}: ${why} ${about}`);
      } else {
        const first = Value.Errors(property, value).First();
        problems.push(`${head}: ${first === undefined ? 'invalid' : explain(first)} ${about}`);
      }
      continue;
    }
    result[name] = value;
  }
  if (problems.length > 0) throw new EnvError(problems);
  return result as Static<S>;
}
