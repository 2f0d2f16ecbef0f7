import type { LoggerOptions } from 'pino';
import type { AppConfig } from '../config.js';

/**
 * Wherever an API key could appear in a logged object, it is censored. The code never logs
 * configs or outbound headers on purpose; this is the net under that rule.
 */
export const REDACT_PATHS = [
  'apiKey',
  '*.apiKey',
  'Config.apiKey',
  '*.Config.apiKey',
  'destination.Config.apiKey',
  'destinationConfig.apiKey',
  'headers["x-ometria-auth"]',
  'headers["X-Ometria-Auth"]',
  '*.headers["x-ometria-auth"]',
  '*.headers["X-Ometria-Auth"]',
  'req.headers["x-ometria-auth"]',
];

/** JSON lines for machines; readable lines when a person watches a terminal (`npm start`). */
export function loggerOptions(config: Pick<AppConfig, 'LOG_LEVEL'>, tty = false): LoggerOptions {
  const options: LoggerOptions = { level: config.LOG_LEVEL, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  if (tty) options.transport = { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'hostname' } };
  return options;
}
