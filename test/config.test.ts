import t from 'tap';
import { EnvError, loadConfig } from '../src/config.js';

t.test('defaults', async (t) => {
  t.strictSame(loadConfig({}), {
    PORT: 9090,
    HOST: '0.0.0.0',
    LOG_LEVEL: 'info',
    BODY_LIMIT: 64 * 1024 * 1024,
    OMETRIA_API_URL: 'https://api.ometria.com',
  });
});

t.test('values are converted and validated; every bad variable is named', async (t) => {
  t.equal(loadConfig({ PORT: '8080', OMETRIA_API_URL: 'http://127.0.0.1:9099' }).PORT, 8080);
  try {
    loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', OMETRIA_API_URL: 'ftp://x' });
    t.fail('should throw');
  } catch (error) {
    t.ok(error instanceof EnvError);
    const problems = (error as EnvError).problems;
    t.equal(problems.length, 3);
    t.match(problems[0], /^PORT="eighty": /);
    t.match(problems[1], /^LOG_LEVEL="loud": /);
    t.match(problems[2], /^OMETRIA_API_URL="ftp:\/\/x": /);
  }
});
