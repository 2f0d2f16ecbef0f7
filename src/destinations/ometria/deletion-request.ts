import type { ErasureAnswer, ErasureRequest, ErasureRules, ServiceSettings } from '../../core/destination.js';
import { ConfigurationError } from '../../core/errors.js';
import type { PlainObject } from '../../core/plain-object.js';

/**
 * Ometria's GDPR anonymisation request: one person per request, named by email, beside the push
 * API on the same origin and key, six a minute per key. Ometria's page is cut off where it gives
 * the body, so the body is built here and nowhere else, to be corrected in one place.
 */
export const OMETRIA_DELETION_PATH = '/v2/data-deletion-requests';

/** The rate limit is per minute; the window is a minute. */
const WINDOW_MS = 60_000;

// What an HTTP header value cannot hold (RFC 9110 field-value, as undici checks it): controls
// other than tab, DEL, anything beyond Latin-1.
const NOT_IN_A_HEADER = /[\u0000-\u0008\u000a-\u001f\u007f\u0100-\uffff]/;

export function ometriaErasure(apiUrl: string): ErasureRules {
  const url = `${apiUrl.replace(/\/+$/, '')}${OMETRIA_DELETION_PATH}`;
  return {
    key(config: PlainObject) {
      const key = String(config.apiKey);
      // It travels in X-Ometria-Auth: a key no header can carry could never be sent, only retried.
      if (NOT_IN_A_HEADER.test(key)) {
        throw new ConfigurationError('Invalid Api Key: destination.Config.apiKey holds characters an HTTP header cannot carry (control characters, beyond Latin-1)');
      }
      return key;
    },
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
