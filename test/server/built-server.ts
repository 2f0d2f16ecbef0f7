import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { freePort } from '../../bench/free-port.js';

const ROOT = new URL('../../', import.meta.url);
const ENTRY = fileURLToPath(new URL('dist/src/process/server.js', ROOT));
// The compiled files these tests are about: a build older than its sources would test old code.
const BUILT_FROM = ['src/process/server', 'src/process/serve', 'src/process/cluster-primary', 'src/process/retire', 'routes/meta'];

/** Throws unless `npm run build` has compiled the current process and readiness sources. */
function assertBuilt(): void {
  for (const file of BUILT_FROM) {
    const built = statSync(new URL(`dist/${file}.js`, ROOT), { throwIfNoEntry: false });
    const source = statSync(new URL(`${file}.ts`, ROOT));
    if (built === undefined || built.mtimeMs < source.mtimeMs) {
      throw new Error(`dist/${file}.js is missing or older than ${file}.ts: run npm run build first`);
    }
  }
}

export type LogLine = Record<string, unknown> & { msg?: string; pid?: number };

export interface BuiltServer {
  readonly url: string;
  readonly pid: number;
  /** The JSON lines logged so far (primary and workers share stdout). */
  lines(): LogLine[];
  /** For a failure's diagnostics: the last lines other than per-request ones, and stderr. */
  tail(): string;
  /** Waits until a logged line satisfies `test` (checked as output arrives; fails after `ms`). */
  waitForLine(test: (line: LogLine) => boolean, what: string, ms?: number): Promise<LogLine>;
  signal(signal: NodeJS.Signals): void;
  /** Exit code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node dist/src/process/server.js` on a free loopback port, answering /health before it returns. */
export async function startBuilt(env: Record<string, string>): Promise<BuiltServer> {
  assertBuilt();
  const port = await freePort();
  const child = spawn(process.execPath, [ENTRY], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('the server did not start');
  const parsed: LogLine[] = [];
  const waiters = new Set<() => void>();
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const complete = text.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) {
      try {
        parsed.push(JSON.parse(line) as LogLine);
      } catch {
        parsed.push({ msg: line });
      }
    }
    for (const wake of waiters) wake();
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let ended = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      ended = true;
      for (const wake of waiters) wake();
      resolve({ code, signal });
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const server: BuiltServer = {
    url,
    pid,
    lines: () => parsed,
    tail: () =>
      [
        ...parsed
          .filter((line) => line.msg !== 'request')
          .slice(-12)
          .map((line) => JSON.stringify(line)),
        stderr,
      ].join('\n'),
    signal: (signal) => child.kill(signal),
    exited,
    waitForLine(test, what, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`no log line ${what} within ${ms} ms`)), ms);
        const done = (error?: Error, line?: LogLine) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (line !== undefined) resolve(line);
          else reject(error);
        };
        const check = () => {
          const line = parsed.find(test);
          if (line !== undefined) done(undefined, line);
          else if (ended) done(new Error(`the server exited before logging ${what}: ${stderr}`));
        };
        waiters.add(check);
        check();
      });
    },
  };
  // Seconds on a quiet machine; far more beside other busy processes (bounded: 2 min).
  const until = Date.now() + 120_000;
  while (Date.now() < until && !ended) {
    if ((await probe(url, '/health').catch(() => undefined)) === 200) return server;
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`the built server did not answer /health within 2 min: ${server.tail()}`);
}

/** GET on a connection of its own (closed after the answer): the status. */
export async function probe(url: string, path: string): Promise<number> {
  const res = await request(`${url}${path}`, { reset: true });
  await res.body.dump();
  return res.statusCode;
}
