import t from 'tap';
import { EnvError, loadConfig } from '../src/config.js';

t.test('defaults: serves on 0.0.0.0:9090 with no setup', async (t) => {
  t.match(loadConfig({}), {
    PORT: 9090,
    HOST: '0.0.0.0',
    LOG_LEVEL: 'info',
    BODY_LIMIT: 64 * 1024 * 1024,
    OMETRIA_API_URL: 'https://api.ometria.com',
    OMETRIA_RATE_LIMIT: 8,
    UPSTREAM_TRANSFORMER_URL: '',
    WORKERS: 1,
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

t.test('.env.example lists every variable with its default', async (t) => {
  const { readFileSync } = await import('node:fs');
  const { EnvSchema } = await import('../schemas/env.js');
  const text = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  const documented = new Map(
    text
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
  );
  for (const [name, schema] of Object.entries(EnvSchema.properties)) {
    t.equal(documented.get(name), String((schema as { default: unknown }).default), name);
  }
  t.strictSame([...documented.keys()].filter((k) => !(k in EnvSchema.properties)), [], 'nothing documented that is not read');
});
