import { EnvError, loadEnv } from '../load-env.js';
import type { MockOmetriaOptions } from './app.js';
import { resolveRejections } from './rules/rejection-rules.js';
import { MockOmetriaEnvSchema, type MockOmetriaEnv } from './schemas.js';
import { deletionSettingsProblem } from './state/deletion-faults.js';
import { faultSettingsProblem } from './state/faults.js';

export { EnvError };

/**
 * The mock's settings from its environment (`npm run mock:ometria`, docker-compose): an unset or
 * empty variable takes its default; a bad one is an EnvError naming it. The mock's only reader of
 * process.env.
 */
export function loadMockOmetriaConfig(env: Readonly<Record<string, string | undefined>> = process.env): MockOmetriaEnv {
  return loadEnv(MockOmetriaEnvSchema, env);
}

type EnvOptions = Required<Pick<MockOmetriaOptions, 'apiKeys' | 'faults' | 'rejections' | 'queue' | 'deletions'>>;

const commaList = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/**
 * The mock's start-up options from its env. Each variable was checked on its own by loadMockOmetriaConfig;
 * what can still fail here (an EnvError) is either route's fault shares' sum and the email pattern.
 */
export function mockOptionsFromEnv(env: MockOmetriaEnv): EnvOptions {
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
  const problem = faultSettingsProblem(faults);
  if (problem !== undefined) {
    throw new EnvError([`MOCK_OMETRIA_DROP_RATE, MOCK_OMETRIA_FAIL_RATE, MOCK_OMETRIA_THROTTLE_RATE: ${problem}`]);
  }
  const emailPattern = env.MOCK_OMETRIA_REJECT_EMAILS;
  const rejections = { ids: commaList(env.MOCK_OMETRIA_REJECT_IDS), ...(emailPattern === '' ? {} : { emailPattern }) };
  try {
    resolveRejections(rejections);
  } catch (error) {
    throw new EnvError([`MOCK_OMETRIA_REJECT_EMAILS=${JSON.stringify(emailPattern)}: ${(error as Error).message}`]);
  }
  const drain = env.MOCK_OMETRIA_QUEUE_DRAIN_PER_SECOND;
  const queue = { limit: env.MOCK_OMETRIA_QUEUE_LIMIT, ...(drain === '' ? {} : { drainPerSecond: Number(drain) }) };
  const deletionRetryAfter = env.MOCK_OMETRIA_DELETION_RETRY_AFTER;
  const deletions = {
    ratePerMinute: env.MOCK_OMETRIA_DELETION_RATE_PER_MINUTE,
    failRate: env.MOCK_OMETRIA_DELETION_FAIL_RATE,
    throttleRate: env.MOCK_OMETRIA_DELETION_THROTTLE_RATE,
    ...(deletionRetryAfter === '' ? {} : { retryAfterSeconds: Number(deletionRetryAfter) }),
    dropRate: env.MOCK_OMETRIA_DELETION_DROP_RATE,
    lostAnswerRate: env.MOCK_OMETRIA_DELETION_LOST_ANSWER_RATE,
    delayMs: env.MOCK_OMETRIA_DELETION_DELAY_MS,
    seed: env.MOCK_OMETRIA_DELETION_SEED,
  };
  const deletionProblem = deletionSettingsProblem(deletions);
  if (deletionProblem !== undefined) {
    const shares = ['DROP_RATE', 'LOST_ANSWER_RATE', 'FAIL_RATE', 'THROTTLE_RATE'].map((name) => `MOCK_OMETRIA_DELETION_${name}`);
    throw new EnvError([`${shares.join(', ')}: ${deletionProblem}`]);
  }
  return { apiKeys: commaList(env.MOCK_OMETRIA_API_KEYS), faults, rejections, queue, deletions };
}
