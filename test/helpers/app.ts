import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { Writable } from 'node:stream';
import { buildApp, type AppDeps } from '../../src/app/app.js';
import { loadConfig } from '../../src/config.js';
import { loggerOptions } from '../../src/app/logger.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** The app with defaults plus `env`, logging nowhere unless a logger is given; closed after the test. */
export async function testApp(t: Teardown, env: Record<string, string> = {}, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = await buildApp(loadConfig(env), { logger: pino({ level: 'silent' }), ...deps });
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
