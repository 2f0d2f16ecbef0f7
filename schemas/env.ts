import { Type, type Static } from '@sinclair/typebox';

const MiB = 1024 * 1024;

/** Every environment variable the service reads, with its default (mirrored in .env.example). */
export const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 9090, description: 'Port to listen on' }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0', description: 'Address to listen on' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info', description: 'pino log level' },
  ),
  BODY_LIMIT: Type.Integer({
    minimum: 1024,
    default: 64 * MiB,
    description: 'Largest request body in bytes, after decompression (413 beyond)',
  }),
  OMETRIA_API_URL: Type.String({
    pattern: '^https?://[^/?#]+/?$',
    default: 'https://api.ometria.com',
    description: "Origin of Ometria's API; output endpoints are <OMETRIA_API_URL>/v2/push",
  }),
});
export type Env = Static<typeof EnvSchema>;
