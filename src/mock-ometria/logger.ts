import type { LoggerOptions } from 'pino';

// The mock's own logger settings rather than the service's: JSON lines at the chosen level, and
// the API key censored wherever a request's headers could be logged.
// Node lower-cases incoming header names; `*.headers` covers Fastify's `req.headers`.
const REDACT_PATHS = ['headers["x-ometria-auth"]', '*.headers["x-ometria-auth"]'];

/** pino options for `npm run mock:ometria`; tests pass no logger and the mock stays silent. */
export function mockLoggerOptions(level: string): LoggerOptions {
  return { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
}
