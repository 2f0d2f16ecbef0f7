import t from 'tap';
import { EnvError, loadMockOmetriaConfig, mockOptionsFromEnv } from '../../src/mock-ometria/env.js';

const DEFAULTS = {
  MOCK_OMETRIA_PORT: 9099,
  MOCK_OMETRIA_HOST: '0.0.0.0',
  MOCK_OMETRIA_API_KEYS: '',
  MOCK_OMETRIA_RATE_LIMIT: 0,
  MOCK_OMETRIA_FAIL_RATE: 0,
  MOCK_OMETRIA_THROTTLE_RATE: 0,
  MOCK_OMETRIA_RETRY_AFTER: '',
  MOCK_OMETRIA_DROP_RATE: 0,
  MOCK_OMETRIA_DELAY_MS: 0,
  MOCK_OMETRIA_SEED: 1,
  MOCK_OMETRIA_REJECT_IDS: '',
  MOCK_OMETRIA_REJECT_EMAILS: '',
  MOCK_OMETRIA_QUEUE_LIMIT: 0,
  MOCK_OMETRIA_QUEUE_DRAIN_PER_SECOND: '',
  MOCK_OMETRIA_DELETION_RATE_PER_MINUTE: 6,
  MOCK_OMETRIA_DELETION_FAIL_RATE: 0,
  MOCK_OMETRIA_DELETION_THROTTLE_RATE: 0,
  MOCK_OMETRIA_DELETION_RETRY_AFTER: '',
  MOCK_OMETRIA_DELETION_DROP_RATE: 0,
  MOCK_OMETRIA_DELETION_LOST_ANSWER_RATE: 0,
  MOCK_OMETRIA_DELETION_DELAY_MS: 0,
  MOCK_OMETRIA_DELETION_SEED: 1,
  LOG_LEVEL: 'info',
};

// Ometria's six a minute, no faults (the deletion variables are tested in deletion.test.ts).
const DELETION_DEFAULTS = { ratePerMinute: 6, failRate: 0, throttleRate: 0, dropRate: 0, lostAnswerRate: 0, delayMs: 0, seed: 1 };

t.test('defaults when nothing is set', async (t) => {
  const env = loadMockOmetriaConfig({});
  t.strictSame(env, DEFAULTS);
  t.strictSame(mockOptionsFromEnv(env), {
    apiKeys: [],
    faults: { rateLimitPerSecond: 0, failRate: 0, throttleRate: 0, dropRate: 0, delayMs: 0, seed: 1 },
    rejections: { ids: [] },
    queue: { limit: 0 },
    deletions: DELETION_DEFAULTS,
  });
});

t.test('every variable is read and converted', async (t) => {
  const env = loadMockOmetriaConfig({
    MOCK_OMETRIA_PORT: '19099',
    MOCK_OMETRIA_HOST: '127.0.0.1',
    MOCK_OMETRIA_API_KEYS: ' key-1, key-2 ,,key-3 ',
    MOCK_OMETRIA_RATE_LIMIT: '8',
    MOCK_OMETRIA_FAIL_RATE: '0.1',
    MOCK_OMETRIA_THROTTLE_RATE: '0.2',
    MOCK_OMETRIA_RETRY_AFTER: '0',
    MOCK_OMETRIA_DROP_RATE: '0.05',
    MOCK_OMETRIA_DELAY_MS: '250',
    MOCK_OMETRIA_SEED: '42',
    MOCK_OMETRIA_REJECT_IDS: ' c1, o-2 ,,',
    MOCK_OMETRIA_REJECT_EMAILS: '@blocked\\.example$',
    MOCK_OMETRIA_QUEUE_LIMIT: '50000',
    MOCK_OMETRIA_QUEUE_DRAIN_PER_SECOND: '0',
    LOG_LEVEL: 'warn',
    UNRELATED: 'ignored',
  });
  t.strictSame(mockOptionsFromEnv(env), {
    apiKeys: ['key-1', 'key-2', 'key-3'],
    faults: { rateLimitPerSecond: 8, failRate: 0.1, throttleRate: 0.2, retryAfterSeconds: 0, dropRate: 0.05, delayMs: 250, seed: 42 },
    rejections: { ids: ['c1', 'o-2'], emailPattern: '@blocked\\.example$' },
    queue: { limit: 50000, drainPerSecond: 0 },
    deletions: DELETION_DEFAULTS,
  });
  t.equal(env.MOCK_OMETRIA_PORT, 19099);
  t.equal(env.MOCK_OMETRIA_HOST, '127.0.0.1');
  t.equal(env.LOG_LEVEL, 'warn');
});

t.test('a bad value is an EnvError naming the variable', async (t) => {
  const cases: [Record<string, string>, string][] = [
    [{ MOCK_OMETRIA_PORT: 'abc' }, 'MOCK_OMETRIA_PORT="abc"'],
    [{ MOCK_OMETRIA_PORT: '70000' }, 'MOCK_OMETRIA_PORT="70000"'],
    [{ MOCK_OMETRIA_FAIL_RATE: '1.5' }, 'MOCK_OMETRIA_FAIL_RATE="1.5"'],
    [{ MOCK_OMETRIA_THROTTLE_RATE: 'half' }, 'MOCK_OMETRIA_THROTTLE_RATE="half"'],
    [{ MOCK_OMETRIA_DROP_RATE: '-0.1' }, 'MOCK_OMETRIA_DROP_RATE="-0.1"'],
    [{ MOCK_OMETRIA_RATE_LIMIT: '2.5' }, 'MOCK_OMETRIA_RATE_LIMIT="2.5"'],
    [{ MOCK_OMETRIA_RETRY_AFTER: 'soon' }, 'MOCK_OMETRIA_RETRY_AFTER="soon"'],
    [{ MOCK_OMETRIA_DELAY_MS: '-5' }, 'MOCK_OMETRIA_DELAY_MS="-5"'],
    [{ MOCK_OMETRIA_SEED: 'x' }, 'MOCK_OMETRIA_SEED="x"'],
    [{ MOCK_OMETRIA_QUEUE_LIMIT: '-1' }, 'MOCK_OMETRIA_QUEUE_LIMIT="-1"'],
    [{ MOCK_OMETRIA_QUEUE_LIMIT: 'lots' }, 'MOCK_OMETRIA_QUEUE_LIMIT="lots"'],
    [{ MOCK_OMETRIA_QUEUE_DRAIN_PER_SECOND: '2.5' }, 'MOCK_OMETRIA_QUEUE_DRAIN_PER_SECOND="2.5"'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud"'],
  ];
  for (const [env, named] of cases) {
    t.throws(() => loadMockOmetriaConfig(env), EnvError, named);
    try {
      loadMockOmetriaConfig(env);
    } catch (error) {
      t.equal((error as EnvError).problems.length, 1, `${named}: one problem`);
      t.ok((error as EnvError).problems[0]?.startsWith(named), `${named}: ${(error as EnvError).problems[0]}`);
    }
  }
  try {
    loadMockOmetriaConfig({ MOCK_OMETRIA_PORT: 'abc', MOCK_OMETRIA_SEED: 'x' });
    t.fail('should throw');
  } catch (error) {
    t.match((error as Error).message, /MOCK_OMETRIA_PORT="abc"[\s\S]*MOCK_OMETRIA_SEED="x"/, 'every bad variable is listed');
  }
});

t.test('fault shares adding up past 1 are an EnvError naming the variables', async (t) => {
  const env = loadMockOmetriaConfig({ MOCK_OMETRIA_FAIL_RATE: '0.7', MOCK_OMETRIA_DROP_RATE: '0.5' });
  t.throws(() => mockOptionsFromEnv(env), EnvError);
  t.throws(() => mockOptionsFromEnv(env), /MOCK_OMETRIA_DROP_RATE, MOCK_OMETRIA_FAIL_RATE, MOCK_OMETRIA_THROTTLE_RATE: .*add up to 1\.2/);
});

t.test('an email pattern that is not a regular expression is an EnvError naming the variable', async (t) => {
  const env = loadMockOmetriaConfig({ MOCK_OMETRIA_REJECT_EMAILS: '(unclosed' });
  t.throws(() => mockOptionsFromEnv(env), EnvError);
  t.throws(() => mockOptionsFromEnv(env), /MOCK_OMETRIA_REJECT_EMAILS="\(unclosed": emailPattern is not a valid regular expression: .*Unterminated group/);
});

t.test('an unset drain rate is left to the queue (the limit per second)', async (t) => {
  const options = mockOptionsFromEnv(loadMockOmetriaConfig({ MOCK_OMETRIA_QUEUE_LIMIT: '20' }));
  t.strictSame(options.queue, { limit: 20 });
});
