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
  OMETRIA_PROXY_ORIGINS: Type.String({
    default: '',
    description: 'Extra origins (comma-separated) the proxy routes may send to, besides OMETRIA_API_URL',
  }),
  OMETRIA_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 10_000, description: 'Timeout of one push attempt' }),
  OMETRIA_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 20, default: 5, description: 'Attempts per push, first included' }),
  OMETRIA_RETRY_BASE_MS: Type.Integer({ minimum: 1, default: 250, description: 'Backoff base: attempt n waits up to base × 2^(n-1) (full jitter)' }),
  OMETRIA_RETRY_MAX_MS: Type.Integer({ minimum: 1, default: 8_000, description: 'Longest single backoff wait' }),
  OMETRIA_DEADLINE_MS: Type.Integer({ minimum: 100, default: 30_000, description: 'Overall time for one push, retries and waits included' }),
  OMETRIA_RATE_LIMIT: Type.Number({
    minimum: 0,
    default: 8,
    description: "Pushes per second per API key (Ometria's default account limit is 8/s); 0 = unlimited",
  }),
  OMETRIA_CONNECTIONS: Type.Integer({ minimum: 1, default: 32, description: 'Keep-alive connections per Ometria origin' }),
  DELIVERY_CONCURRENCY: Type.Integer({ minimum: 1, default: 4, description: 'Pushes in flight at once for one /deliver request' }),
});
export type Env = Static<typeof EnvSchema>;
