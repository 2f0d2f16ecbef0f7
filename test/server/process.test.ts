import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { withMock } from '../helpers/mock-client.js';
import { destination, identifyMessage, routerMetadata } from '../helpers/envelopes.js';
import { join } from 'node:path';
import { freePort } from '../../bench/free-port.js';
import { storeFolder } from '../helpers/app.js';

const ENTRY = fileURLToPath(new URL('../../src/process/server.ts', import.meta.url));

/** The service entry in a child process, with the same TypeScript loader the tests run under. */
function startServer(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [...process.execArgv, ENTRY], {
    // The loader compiles as it does for the tests (tap's settings), without type-checking again.
    env: { PATH: process.env.PATH ?? '', TS_NODE_TRANSPILE_ONLY: '1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitHealthy(url: string): Promise<void> {
  // Each process transpiles the TypeScript sources at start: give it time.
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not up yet
    }
    await sleep(50);
  }
  throw new Error('service did not become healthy');
}

t.test('a bad environment stops the service with every bad variable named', async (t) => {
  const { exited, output } = startServer({ PORT: 'eighty', OMETRIA_RATE_LIMIT: '-1', UPSTREAM_TRANSFORMER_URL: 'nope' });
  t.equal(await exited, 1);
  t.match(output(), /Invalid environment/);
  t.match(output(), /PORT="eighty"/);
  t.match(output(), /OMETRIA_RATE_LIMIT="-1"/);
  t.match(output(), /UPSTREAM_TRANSFORMER_URL="nope"/);
});

t.test('a bad URL in any URL-valued variable stops the service the same way, naming it', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['OMETRIA_API_URL', 'https://api.ometria.com/v2/push', /OMETRIA_API_URL="https:\/\/api\.ometria\.com\/v2\/push": /],
    // Was a bare `TypeError: Invalid URL` from inside the app once the proxy routes were built.
    ['OMETRIA_PROXY_ORIGINS', 'https://eu.ometria.example,not-a-url', /OMETRIA_PROXY_ORIGINS="https:\/\/eu\.ometria\.example,not-a-url": entry "not-a-url": /],
    // The password is masked in what is printed.
    ['UPSTREAM_TRANSFORMER_URL', 'https://user:secret@rudder-transformer:9090', /UPSTREAM_TRANSFORMER_URL="https:\/\/\*\*\*@rudder-transformer:9090": /],
    ['DELETION_STORE', 'mysql://user:secret@db/erasure', /DELETION_STORE="mysql:\/\/\*\*\*@db\/erasure": /],
  ];
  await Promise.all(
    cases.map(async ([name, value, named]) => {
      const { exited, output } = startServer({ [name]: value });
      t.equal(await exited, 1, name);
      t.match(output(), /Invalid environment:\n {2}- /, name);
      t.match(output(), named, name);
      t.notMatch(output(), /TypeError/, name);
      t.notMatch(output(), /secret/, name);
    }),
  );
});

t.test('an erasure store that cannot be opened stops the service at start-up, naming DELETION_STORE, never its password', async (t) => {
  const cases: [string, RegExp][] = [
    // Nothing listens on port 1.
    ['postgres://ometria:hunter2@127.0.0.1:1/erasure', /^DELETION_STORE: .*127\.0\.0\.1:1/m],
    // A folder cannot be made under a file.
    [fileURLToPath(new URL('../../package.json/erasure.sqlite', import.meta.url)), /^DELETION_STORE: .*package\.json\/erasure\.sqlite/m],
  ];
  await Promise.all(
    cases.flatMap(([store, named]) =>
      ['1', '2'].map(async (workers) => {
        const { exited, output } = startServer({ DELETION_STORE: store, WORKERS: workers, PORT: '0' });
        t.equal(await exited, 1, `${store} with WORKERS=${workers}`);
        t.match(output(), named);
        t.notMatch(output(), /hunter2/);
        t.notMatch(output(), /\n\s+at /, 'no stack: the message says it all');
      }),
    ),
  );
});

t.test('one "ready" line says where the service sends data, by origin only', async (t) => {
  const store = process.env.TEST_POSTGRES_URL ?? join(storeFolder(t), 'erasure.sqlite');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = startServer({
    PORT: String(port),
    HOST: '127.0.0.1',
    OMETRIA_API_URL: 'HTTP://127.0.0.1:9/',
    OMETRIA_PROXY_ORIGINS: 'https://eu.ometria.example',
    UPSTREAM_TRANSFORMER_URL: 'http://rudder-transformer:9090/',
    DELETION_STORE: store,
  });
  t.teardown(() => server.child.kill('SIGKILL'));
  await waitHealthy(url);
  const ready = () => server.output().split('\n').filter((l) => l.includes('"msg":"ready"'));
  for (let i = 0; i < 100 && ready().length === 0; i++) await sleep(20);
  t.equal(ready().length, 1, 'one ready line');
  const line = JSON.parse(ready()[0] ?? '{}') as Record<string, unknown>;
  t.equal(line.level, 30, 'info');
  t.equal(line.listening, url);
  t.equal(line.ometria, 'http://127.0.0.1:9');
  t.strictSame(line.proxyOrigins, ['http://127.0.0.1:9', 'https://eu.ometria.example']);
  t.equal(line.upstream, 'http://rudder-transformer:9090');
  // Postgres when the tests have one (its password must not show), else an SQLite file.
  t.equal(line.erasureStore, store.replace(/:\/\/.*@/, '://***@'), 'the store, without its credentials');
  const password = /^postgres(?:ql)?:\/\/[^:]*:([^@]*)@/.exec(store)?.[1];
  if (password !== undefined) t.notOk(server.output().includes(password), 'the password appears nowhere in the output');
  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0);
});

t.test('the "ready" line without pass-through or extra proxy origins, listening on every interface', async (t) => {
  const port = await freePort();
  const server = startServer({ PORT: String(port), HOST: '0.0.0.0' });
  t.teardown(() => server.child.kill('SIGKILL'));
  await waitHealthy(`http://127.0.0.1:${port}`);
  const ready = () => server.output().split('\n').find((l) => l.includes('"msg":"ready"'));
  for (let i = 0; i < 100 && ready() === undefined; i++) await sleep(20);
  const { listening, ometria, upstream, proxyOrigins } = JSON.parse(ready() ?? '{}') as Record<string, unknown>;
  t.strictSame({ listening, ometria, upstream, proxyOrigins }, {
    listening: `http://0.0.0.0:${port}`,
    ometria: 'https://api.ometria.com',
    upstream: 'none',
    proxyOrigins: undefined,
  });
  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0);
});

t.test('SIGTERM lets an in-flight delivery finish, then the process exits 0', async (t) => {
  const mock = await withMock(t, { faults: { delayMs: 800 } });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = startServer({ PORT: String(port), HOST: '127.0.0.1', OMETRIA_API_URL: mock.url });
  t.teardown(() => server.child.kill('SIGKILL'));
  await waitHealthy(url);
  const delivery = fetch(`${url}/deliver`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      destType: 'ometria',
      input: [{ message: identifyMessage(1), metadata: routerMetadata(1), destination: destination('d', { apiKey: 'k' }) }],
    }),
  });
  await sleep(300);
  server.child.kill('SIGTERM');
  const res = await delivery;
  t.equal(res.status, 200);
  t.strictSame(((await res.json()) as { output: { statusCode: number }[] }).output.map((o) => o.statusCode), [200], 'delivered');
  t.equal(await server.exited, 0, server.output());
  t.match(server.output(), /closing: finishing in-flight requests/);
});

t.test('WORKERS=2: two processes share the port; metrics add up across them; SIGTERM stops all', async (t) => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = startServer({ PORT: String(port), HOST: '127.0.0.1', WORKERS: '2' });
  t.teardown(() => server.child.kill('SIGKILL'));
  await waitHealthy(url);
  await sleep(500); // both workers listening
  const body = JSON.stringify({ destType: 'ometria', input: [{ message: identifyMessage(1), metadata: routerMetadata(1), destination: destination('d', { apiKey: 'k' }) }] });
  for (let i = 0; i < 10; i++) {
    await fetch(`${url}/routerTransform`, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body });
  }
  const metrics = await (await fetch(`${url}/metrics`)).text();
  t.match(metrics, /transformer_events_total\{destination="OMETRIA",record_type="contact",outcome="ok"\} 10\n/, 'every worker counted');
  const pids = new Set(server.output().split('\n').filter((l) => l.includes('"msg":"request"')).map((l) => (JSON.parse(l) as { pid: number }).pid));
  t.equal(pids.size, 2, 'requests served by two worker processes');
  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0);
});
