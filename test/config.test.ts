import t from 'tap';
import { withoutPassword } from '../src/load-env.js';
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

/** The start-up problems for `env`, or [] when it loads. */
function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
}

// Values every URL-valued variable must refuse: what the WHATWG parser refuses, other schemes,
// and what an origin has no room for (path, query, fragment, user:password, undici would ignore it).
const NOT_ORIGINS = [
  'not-a-url',
  'api.ometria.com',
  'ftp://api.ometria.com',
  'http:api.ometria.com',
  'http://',
  'http://exa mple.com',
  'http://example.com:99999',
  'https://api.ometria.com/v2',
  'https://api.ometria.com//',
  'https://api.ometria.com/?x=1',
  'https://api.ometria.com?',
  'https://api.ometria.com#top',
  'https://user:secret@api.ometria.com',
  'https://key@api.ometria.com',
];
const ORIGINS = ['https://api.ometria.com', 'https://api.ometria.com/', 'http://127.0.0.1:9099', 'http://[::1]:9099', 'HTTPS://API.Ometria.COM'];

t.test('OMETRIA_API_URL: an http or https origin, trailing slash allowed', async (t) => {
  for (const good of ORIGINS) t.equal(loadConfig({ OMETRIA_API_URL: good }).OMETRIA_API_URL, good, good);
  t.equal(loadConfig({ OMETRIA_API_URL: '' }).OMETRIA_API_URL, 'https://api.ometria.com', 'empty is the default');
  for (const bad of NOT_ORIGINS) {
    const problems = problemsOf({ OMETRIA_API_URL: bad });
    t.equal(problems.length, 1, bad);
    t.ok(problems[0]?.startsWith(`OMETRIA_API_URL=${JSON.stringify(withoutPassword(bad))}: `), String(problems[0]));
  }
});

t.test('OMETRIA_PROXY_ORIGINS: each comma-separated entry is an origin, and a bad one is named', async (t) => {
  t.strictSame(loadConfig({}).OMETRIA_PROXY_ORIGINS, []);
  t.strictSame(loadConfig({ OMETRIA_PROXY_ORIGINS: ' , ' }).OMETRIA_PROXY_ORIGINS, [], 'only separators: none');
  t.strictSame(loadConfig({ OMETRIA_PROXY_ORIGINS: ORIGINS.join(' , ') + ',' }).OMETRIA_PROXY_ORIGINS, ORIGINS, 'blanks and a trailing comma');
  for (const bad of NOT_ORIGINS.filter((v) => !v.includes(','))) {
    const raw = `https://eu.ometria.example,${bad}`;
    const problems = problemsOf({ OMETRIA_PROXY_ORIGINS: raw });
    t.equal(problems.length, 1, bad);
    t.ok(problems[0]?.startsWith(`OMETRIA_PROXY_ORIGINS=${JSON.stringify(withoutPassword(raw))}: entry ${JSON.stringify(withoutPassword(bad))}: `), String(problems[0]));
  }
  const two = problemsOf({ OMETRIA_PROXY_ORIGINS: 'nope, https://ok.example, ftp://x' });
  t.equal(two.length, 2, 'every bad entry is named');
  t.match(two[0], /: entry "nope": /);
  t.match(two[1], /: entry "ftp:\/\/x": /);
});

t.test('UPSTREAM_TRANSFORMER_URL: empty (off) or an origin', async (t) => {
  t.equal(loadConfig({}).UPSTREAM_TRANSFORMER_URL, '');
  t.equal(loadConfig({ UPSTREAM_TRANSFORMER_URL: '  ' }).UPSTREAM_TRANSFORMER_URL, '', 'blank is off');
  for (const good of ORIGINS) t.equal(loadConfig({ UPSTREAM_TRANSFORMER_URL: good }).UPSTREAM_TRANSFORMER_URL, good, good);
  for (const bad of NOT_ORIGINS) {
    const problems = problemsOf({ UPSTREAM_TRANSFORMER_URL: bad });
    t.equal(problems.length, 1, bad);
    // The union's own message ("Expected union value") would not say what is wrong.
    t.ok(problems[0]?.startsWith(`UPSTREAM_TRANSFORMER_URL=${JSON.stringify(withoutPassword(bad))}: Expected string to match 'http-origin' format (`), String(problems[0]));
  }
});

t.test('bad URLs are reported together with the other bad variables, saying what an origin is', async (t) => {
  const problems = problemsOf({
    PORT: 'eighty',
    OMETRIA_API_URL: 'https://api.ometria.com/v2/push',
    OMETRIA_PROXY_ORIGINS: 'not-a-url',
    UPSTREAM_TRANSFORMER_URL: 'rudder-transformer:9090',
  });
  t.equal(problems.length, 4);
  t.match(problems, [/^PORT=/, /^OMETRIA_API_URL=/, /^OMETRIA_PROXY_ORIGINS="not-a-url": entry "not-a-url"/, /^UPSTREAM_TRANSFORMER_URL=/]);
  for (const problem of problems.slice(1)) t.match(problem, /an http: or https: origin such as https:\/\/host:port, without path, query or user:password/);
  t.match(problemsOf({ LOG_LEVEL: 'loud' })[0], /^LOG_LEVEL="loud": Expected one of "fatal", "error", .*"silent" /, 'a list of literals is spelled out');
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

t.test('PHONE_DEFAULT_COUNTRY: unset by default; a country with a numbering plan, read like any country; anything else stops start-up', async (t) => {
  t.equal(loadConfig({}).PHONE_DEFAULT_COUNTRY, '');
  for (const good of ['GB', 'gb', 'GBR', 'United Kingdom', ' de ']) t.strictSame(problemsOf({ PHONE_DEFAULT_COUNTRY: good }), [], good);
  for (const bad of ['Narnia', '826', 'EU', 'AQ', 'Antarctica', 'G']) {
    const problems = problemsOf({ PHONE_DEFAULT_COUNTRY: bad });
    t.equal(problems.length, 1, bad);
    t.match(problems[0], /^PHONE_DEFAULT_COUNTRY=/, `${bad}: names the variable`);
  }
});

t.test('PHONE_DEFAULT_COUNTRY reaches the mapping: a national number without the contact\'s country is read in it', async (t) => {
  const { createRegistry } = await import('../src/destinations/index.js');
  const { transformEvent } = await import('../src/core/transform/pipeline.js');
  const message = { type: 'identify', messageId: 'm-1', userId: 'u-1', traits: { email: 'a@example.com', listingId: 'L1', phone: '07911 123456' } };
  const input = { message, metadata: { jobId: 1 }, destination: { ID: 'd', Config: { apiKey: 'k' } } };
  const phoneOf = (env: Record<string, string>): unknown => {
    const def = createRegistry(loadConfig(env)).get('ometria');
    if (def === undefined) throw new Error('no ometria');
    const outcome = transformEvent(def, input, { log: { warn() {}, error() {} } });
    return outcome.ok ? (JSON.parse(outcome.json) as { phone_number?: string }).phone_number : outcome.error.message;
  };
  t.equal(phoneOf({ PHONE_DEFAULT_COUNTRY: 'United Kingdom' }), '+447911123456');
  t.equal(phoneOf({}), undefined, 'unset: dropped');
});

t.test('a password in a URL is never shown in what a bad variable reports', async (t) => {
  const problems = problemsOf({ UPSTREAM_TRANSFORMER_URL: 'https://user:secret@host/x', OMETRIA_PROXY_ORIGINS: 'https://ok.example,https://a:b-secret@eu.example/p' });
  t.equal(problems.length, 2);
  t.notMatch(problems.join('\n'), /secret/);
  t.match(problems.join('\n'), /"https:\/\/\*\*\*@eu\.example\/p"/);
  t.match(problems.join('\n'), /https:\/\/\*\*\*@host/);
});

t.test('DELETION_STORE: an SQLite path, or a postgres URL with a host and a database', async (t) => {
  t.equal(loadConfig({}).DELETION_STORE, 'data/erasure.sqlite', 'a file under ./data by default');
  for (const good of ['/var/lib/erasure.sqlite', 'erasure.db', 'postgres://u:p@db:5432/erasure', 'postgresql://db/erasure?sslmode=require']) {
    t.equal(loadConfig({ DELETION_STORE: good }).DELETION_STORE, good, good);
  }
  for (const bad of ['mysql://u:hunter2@db/erasure', 'postgres://u:hunter2@db', 'postgres://u:hunter2@/erasure', 'postgres://[oops', 'postgres://u:hun/ter2@h/db', 'postgres://u:hunter2@x@h']) {
    const problems = problemsOf({ DELETION_STORE: bad });
    t.equal(problems.length, 1, bad);
    t.ok(problems[0]?.startsWith('DELETION_STORE='), String(problems[0]));
    t.notMatch(problems[0], /hunter2/, 'the password is masked');
  }
});

t.test('withoutPassword masks credentials whatever a password holds, and a password parameter', async (t) => {
  for (const url of ['postgres://u:p@ss@h/db', 'postgres://u:pa,ss@h/db', 'postgres://u:pa ss@h/db', 'postgres://u:pa/ss@h/db']) {
    t.equal(withoutPassword(url), 'postgres://***@h/db', url);
  }
  t.equal(withoutPassword('postgres://h/db?password=secret&sslmode=require'), 'postgres://h/db?password=***&sslmode=require');
  t.equal(withoutPassword('data/erasure.sqlite'), 'data/erasure.sqlite');
});
