import { Kind, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { EnvSchema, type Env } from '../schemas/env.js';
import { MockOmetriaEnvSchema, type MockOmetriaEnv } from '../schemas/mock-ometria.js';

export type AppConfig = Env;

/** A start-up failure listing every bad variable by name. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function convert(schema: TSchema, raw: string): unknown {
  if (schema[Kind] === 'Integer' || schema[Kind] === 'Number') {
    return /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
  }
  if (schema[Kind] === 'Boolean') {
    const lower = raw.trim().toLowerCase();
    if (lower === 'true' || lower === '1') return true;
    if (lower === 'false' || lower === '0') return false;
    return raw;
  }
  return raw.trim();
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
    const value = raw === undefined || raw.trim() === '' ? property.default : convert(property, raw);
    if (!Value.Check(property, value)) {
      const first = Value.Errors(property, value).First();
      problems.push(`${name}=${JSON.stringify(raw)}: ${first?.message ?? 'invalid'} (${String(property.description ?? '')})`);
      continue;
    }
    result[name] = value;
  }
  if (problems.length > 0) throw new EnvError(problems);
  return result as Static<S>;
}

/** The service's settings (this module is the only reader of process.env). */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): AppConfig {
  return loadEnv(EnvSchema, env);
}

/** The mock Ometria's settings (src/mock-ometria/main.ts), read here so this stays the only reader of process.env. */
export function loadMockOmetriaConfig(env: Readonly<Record<string, string | undefined>> = process.env): MockOmetriaEnv {
  return loadEnv(MockOmetriaEnvSchema, env);
}
