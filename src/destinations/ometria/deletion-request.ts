import type { ErasureAnswer, ErasureRequest, ErasureRules, ServiceSettings } from '../../core/destination.js';
import type { PlainObject } from '../../core/plain-object.js';

/**
 * Ometria's GDPR anonymisation request: one person per request, named by email, beside the push
 * API on the same origin and key, six a minute per key. Ometria's page is cut off where it gives
 * the body, so the body is built here and nowhere else, to be corrected in one place.
 */
export const OMETRIA_DELETION_PATH = '/v2/data-deletion-requests';

/** The rate limit is per minute; the window is a minute. */
const WINDOW_MS = 60_000;

export function ometriaErasure(apiUrl: string): ErasureRules {
  const url = `${apiUrl.replace(/\/+$/, '')}${OMETRIA_DELETION_PATH}`;
  return {
    key: (config: PlainObject) => String(config.apiKey),
    request(address, config, jobId): ErasureRequest {
      return {
        url,
        headers: { 'X-Ometria-Auth': String(config.apiKey), 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: address, comment: `Erasure requested through RudderStack (regulation job ${jobId})` }),
      };
    },
    interpret(status): ErasureAnswer {
      if (status >= 200 && status < 300) return 'accepted';
      if (status === 401 || status === 403) return 'key-refused';
      if (status === 429) return 'throttled';
      if (status >= 500 || status === 408) return 'retry';
      return 'person-refused';
    },
    rate: (settings: ServiceSettings) => ({ limit: settings.OMETRIA_DELETION_RATE_PER_MINUTE as number, windowMs: WINDOW_MS }),
  };
}
