import { ConfigurationError } from '../../core/errors.js';
import { whatIs } from '../../core/engine/kinds.js';
import type { DestinationDefinition } from '../../core/destination.js';
import type { PlainObject } from '../../core/plain-object.js';
import { identify } from './handlers/identify.js';
import { track } from './handlers/track.js';
import { readPushErrors } from './push-errors.js';
import { interpretPush } from './push-verdict.js';
import { checkOmetriaRecord } from './record-check.js';

/** Ometria's per-record size limit ("Payload invalid: Record is too large"). */
export const OMETRIA_MAX_RECORD_BYTES = 61440;
/** Ometria's per-push record limit. */
export const OMETRIA_MAX_BATCH = 100;
export const OMETRIA_PUSH_PATH = '/v2/push';

export interface OmetriaOptions {
  /** Origin of Ometria's API, e.g. https://api.ometria.com (OMETRIA_API_URL). */
  readonly apiUrl: string;
  /** Alpha-2 code a contact's national phone number is read in when the contact has no country (PHONE_DEFAULT_COUNTRY). */
  readonly phoneDefaultCountry?: string;
}

export function createOmetria(options: OmetriaOptions): DestinationDefinition {
  const endpoint = `${options.apiUrl.replace(/\/+$/, '')}${OMETRIA_PUSH_PATH}`;
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
    checkRecord: checkOmetriaRecord,
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
      // Ometria's asynchronous backlog (429 once full), reported on push answers.
      queueHeaders: { limit: 'X-QueueSize-Limit', remaining: 'X-QueueSize-Remaining' },
    },
  };
}

const rateKey = (headers: Readonly<Record<string, string>>): string => headerValue(headers, 'x-ometria-auth') ?? '';

function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}
