import type { MockOmetriaEnv } from '../../schemas/mock-ometria.js';
import { EnvError } from '../config.js';
import type { MockOmetriaOptions } from './app.js';
import { faultSettingsProblem } from './faults.js';

/** The mock's start-up options from its env; throws EnvError when the fault shares add up past 1. */
export function mockOptionsFromEnv(env: MockOmetriaEnv): Required<Pick<MockOmetriaOptions, 'apiKeys' | 'faults'>> {
  const retryAfter = env.MOCK_OMETRIA_RETRY_AFTER;
  const faults = {
    rateLimitPerSecond: env.MOCK_OMETRIA_RATE_LIMIT,
    failRate: env.MOCK_OMETRIA_FAIL_RATE,
    throttleRate: env.MOCK_OMETRIA_THROTTLE_RATE,
    ...(retryAfter === '' ? {} : { retryAfterSeconds: Number(retryAfter) }),
    dropRate: env.MOCK_OMETRIA_DROP_RATE,
    delayMs: env.MOCK_OMETRIA_DELAY_MS,
    seed: env.MOCK_OMETRIA_SEED,
  };
  // Each variable was checked on its own by loadEnv; only the cross-variable rule can fail here.
  const problem = faultSettingsProblem(faults);
  if (problem !== undefined) {
    throw new EnvError([`MOCK_OMETRIA_DROP_RATE, MOCK_OMETRIA_FAIL_RATE, MOCK_OMETRIA_THROTTLE_RATE: ${problem}`]);
  }
  const apiKeys = env.MOCK_OMETRIA_API_KEYS.split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  return { apiKeys, faults };
}
