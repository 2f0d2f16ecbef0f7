import type { AppConfig } from '../config.js';
import { OmetriaClient, type OmetriaClientOptions } from './ometria-client.js';

/** The client's settings from the service config (documented in .env.example). */
export function ometriaClientOptions(config: AppConfig): OmetriaClientOptions {
  return {
    timeoutMs: config.OMETRIA_TIMEOUT_MS,
    maxAttempts: config.OMETRIA_MAX_ATTEMPTS,
    retryBaseMs: config.OMETRIA_RETRY_BASE_MS,
    retryMaxMs: config.OMETRIA_RETRY_MAX_MS,
    deadlineMs: config.OMETRIA_DEADLINE_MS,
    ratePerSecond: config.OMETRIA_RATE_LIMIT,
    connections: config.OMETRIA_CONNECTIONS,
  };
}

export function createOmetriaClient(config: AppConfig, extra: Partial<OmetriaClientOptions> = {}): OmetriaClient {
  return new OmetriaClient({ ...ometriaClientOptions(config), ...extra });
}

/** Origins the proxy may send to: OMETRIA_API_URL's, plus OMETRIA_PROXY_ORIGINS (all checked at start-up). */
export function allowedOrigins(config: AppConfig): Set<string> {
  return new Set([config.OMETRIA_API_URL, ...config.OMETRIA_PROXY_ORIGINS].map((o) => new URL(o).origin));
}
