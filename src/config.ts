import { EnvSchema, type Env } from '../schemas/env.js';
import { EnvError, loadEnv } from './load-env.js';

export { EnvError, loadEnv };

export type AppConfig = Env;

/** The service's settings (this module is the service's only reader of process.env). */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): AppConfig {
  return loadEnv(EnvSchema, env);
}
