import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { buildApp, type AppDeps } from '../../src/app/app.js';
import { loadConfig } from '../../src/config.js';
import { loggerOptions } from '../../src/app/logger.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

/**
 * Load shedding off: a test machine under load (a full `npm test`) must not make a test fail by
 * a 503 from shedding. A test of shedding turns a limit on by giving it in `env`.
 */
export const NO_SHEDDING: Readonly<Record<string, string>> = {
  SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
  SHED_MAX_EVENT_LOOP_UTILIZATION: '0',
  SHED_MAX_HEAP_USED_BYTES: '0',
  SHED_MAX_RSS_BYTES: '0',
};

/** A fresh folder for a test's erasure store (DELETION_STORE), removed after the test. */
export function storeFolder(t: Teardown): string {
  const folder = mkdtempSync(join(tmpdir(), 'erasure-store-'));
  t.teardown(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/**
 * The app with defaults plus `env`, load shedding off unless `env` turns it on (NO_SHEDDING),
 * logging nowhere unless a logger is given, its erasure store in a fresh folder unless `env` or
 * `deps` gives one; closed after the test.
 */
export async function testApp(t: Teardown, env: Record<string, string> = {}, deps: AppDeps = {}): Promise<FastifyInstance> {
  const store = env.DELETION_STORE === undefined && deps.erasureStore === undefined ? { DELETION_STORE: join(storeFolder(t), 'erasure.sqlite') } : {};
  const app = await buildApp(loadConfig({ ...NO_SHEDDING, ...store, ...env }), { logger: pino({ level: 'silent' }), ...deps });
  t.teardown(() => app.close());
  return app;
}

/** A pino logger with the service's options (redaction included) writing JSON lines into `lines`. */
export function memoryLogger(level = 'info'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ ...loggerOptions({ LOG_LEVEL: 'info' }), level }, stream), lines };
}

/** What `app.inject` answers, as far as jsonBody reads it. */
interface InjectedResponse {
  readonly statusCode: number;
  readonly body: string;
  json(): unknown;
}

/**
 * The parsed body of an answer that must have come with `status` (default 200); any other status
 * throws, saying what came back, instead of a TypeError from reading the wrong body.
 */
export function jsonBody<T = unknown>(res: InjectedResponse, status = 200): T {
  if (res.statusCode !== status) throw new Error(`expected HTTP ${status}, got ${res.statusCode}: ${res.body.slice(0, 1000)}`);
  return res.json() as T;
}
