import { Type, type Static } from '@sinclair/typebox';
import { EnvSchema } from '../../../schemas/env.js';
import { ConfigurationError } from '../../core/errors.js';
import { whatIs } from '../../core/engine/kinds.js';
import type { DestinationDefinition, ServiceSettings } from '../../core/destination.js';
import { headerValue } from '../../core/headers.js';
import type { PlainObject } from '../../core/plain-object.js';
import { createHttpDeliveryClient } from '../../http/http-delivery-client-settings.js';
import { QueueRoom } from '../../http/queue-room.js';
import { identify } from './handlers/identify.js';
import { track } from './handlers/track.js';
import { ometriaErasure } from './deletion-request.js';
import { readPushErrors } from './push-errors.js';
import { interpretPush } from './push-verdict.js';
import { OMETRIA_RECORD_SCHEMAS } from './record-check.js';

/** Ometria's per-record size limit ("Payload invalid: Record is too large"). */
export const OMETRIA_MAX_RECORD_BYTES = 61440;
/** Ometria's per-push record limit. */
export const OMETRIA_MAX_BATCH = 100;
export const OMETRIA_PUSH_PATH = '/v2/push';

/**
 * The service settings Ometria reads (documented in .env.example): where its API is, the origins
 * its stored requests may be proxied to, and its client's timeouts, retries, rate limit and pool.
 */
export const OmetriaSettingsSchema = Type.Pick(EnvSchema, [
  'OMETRIA_API_URL',
  'OMETRIA_PROXY_ORIGINS',
  'OMETRIA_TIMEOUT_MS',
  'OMETRIA_MAX_ATTEMPTS',
  'OMETRIA_RETRY_BASE_MS',
  'OMETRIA_RETRY_MAX_MS',
  'OMETRIA_DEADLINE_MS',
  'OMETRIA_RATE_LIMIT',
  'OMETRIA_CONNECTIONS',
  'OMETRIA_DELETION_RATE_PER_MINUTE',
]);
export type OmetriaSettings = Static<typeof OmetriaSettingsSchema>;

/** Ometria's asynchronous backlog (429 once full), reported on push answers. */
const QUEUE_HEADERS = { limit: 'X-QueueSize-Limit', remaining: 'X-QueueSize-Remaining' } as const;

export interface OmetriaOptions {
  /** Origin of Ometria's API, e.g. https://api.ometria.com (OMETRIA_API_URL). */
  readonly apiUrl: string;
  /** Alpha-2 code a contact's national phone number is read in when the contact has no country (PHONE_DEFAULT_COUNTRY). */
  readonly phoneDefaultCountry?: string;
}

export function createOmetria(options: OmetriaOptions): DestinationDefinition {
  const endpoint = `${options.apiUrl.replace(/\/+$/, '')}${OMETRIA_PUSH_PATH}`;
  // The app loads every setting against EnvSchema at start-up; these are the ones Ometria reads.
  const own = (settings: ServiceSettings): OmetriaSettings => settings as OmetriaSettings;
  return {
    name: 'OMETRIA',
    displayName: 'Ometria',
    integrationKeys: ['Ometria', 'ometria', 'OMETRIA'],
    handlers: { identify, track },
    ...(options.phoneDefaultCountry === undefined ? {} : { defaults: { country_id: options.phoneDefaultCountry } }),
    maxBatchSize: OMETRIA_MAX_BATCH,
    maxRecordBytes: OMETRIA_MAX_RECORD_BYTES,
    parseConfig(config) {
      const { apiKey } = config;
      // The key is a secret: the error says what is wrong with it, never what it is.
      if (typeof apiKey !== 'string' || apiKey.trim() === '') throw new ConfigurationError(`Invalid Api Key: destination.Config.apiKey is ${whatIs(apiKey)}`);
      return { apiKey };
    },
    recordSchemas: OMETRIA_RECORD_SCHEMAS,
    request(batch, config: PlainObject) {
      return {
        endpoint,
        // RudderStack sends stored requests as they are and adds no Content-Type; Ometria asks for
        // application/json (docs/DIFFERENCES.md, 15).
        headers: { 'X-Ometria-Auth': String(config.apiKey), 'Content-Type': 'application/json' },
        body: { JSON: {}, JSON_ARRAY: { batch }, XML: {}, FORM: {} },
      };
    },
    delivery: {
      // Ometria's rate limit is per account, and an API key belongs to one account.
      rateKey,
      interpret: interpretPush,
      readErrors: (client, target, requestId) => readPushErrors(client, target, requestId, rateKey(target.headers)),
      queueHeaders: QUEUE_HEADERS,
    },
    erasure: ometriaErasure(options.apiUrl),
    settings: OmetriaSettingsSchema,
    createClients(settings, observers) {
      const delivery = createHttpDeliveryClient(own(settings), {
        ...(observers.onAttempt === undefined ? {} : { onAttempt: observers.onAttempt }),
        room: new QueueRoom(QUEUE_HEADERS, observers.onQueue),
      });
      // One attempt per post: every retry of an erasure must take a slot of the shared window
      // (six a minute per key), so the erasure queue retries, not the client.
      const erasure = createHttpDeliveryClient(own(settings), { maxAttempts: 1, ratePerSecond: 0 });
      return { delivery, erasure, close: async () => void (await Promise.all([delivery.close(), erasure.close()])) };
    },
    // Its API's origin, plus OMETRIA_PROXY_ORIGINS (all checked at start-up).
    proxyOrigins: (settings) => new Set([options.apiUrl, ...own(settings).OMETRIA_PROXY_ORIGINS].map((origin) => new URL(origin).origin)),
  };
}

const rateKey = (headers: Readonly<Record<string, string>>): string => headerValue(headers, 'x-ometria-auth') ?? '';
