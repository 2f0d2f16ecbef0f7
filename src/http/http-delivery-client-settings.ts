import type { AppConfig } from '../config.js';
import { HttpDeliveryClient, type HttpDeliveryClientOptions } from './http-delivery-client.js';

/** The service settings the client reads (Ometria's definition declares them as its own). */
export type HttpDeliveryClientSettings = Pick<
  AppConfig,
  | 'OMETRIA_TIMEOUT_MS'
  | 'OMETRIA_MAX_ATTEMPTS'
  | 'OMETRIA_RETRY_BASE_MS'
  | 'OMETRIA_RETRY_MAX_MS'
  | 'OMETRIA_DEADLINE_MS'
  | 'OMETRIA_RATE_LIMIT'
  | 'OMETRIA_CONNECTIONS'
>;

/** The client's options from its settings (documented in .env.example). */
export function httpDeliveryClientOptions(settings: HttpDeliveryClientSettings): HttpDeliveryClientOptions {
  return {
    timeoutMs: settings.OMETRIA_TIMEOUT_MS,
    maxAttempts: settings.OMETRIA_MAX_ATTEMPTS,
    retryBaseMs: settings.OMETRIA_RETRY_BASE_MS,
    retryMaxMs: settings.OMETRIA_RETRY_MAX_MS,
    deadlineMs: settings.OMETRIA_DEADLINE_MS,
    ratePerSecond: settings.OMETRIA_RATE_LIMIT,
    connections: settings.OMETRIA_CONNECTIONS,
  };
}

export function createHttpDeliveryClient(settings: HttpDeliveryClientSettings, extra: Partial<HttpDeliveryClientOptions> = {}): HttpDeliveryClient {
  return new HttpDeliveryClient({ ...httpDeliveryClientOptions(settings), ...extra });
}
