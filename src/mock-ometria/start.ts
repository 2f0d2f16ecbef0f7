import type { FastifyInstance } from 'fastify';
import { buildMockOmetria, type MockOmetriaOptions } from './app.js';

/** A running mock, for tests: `url` is its origin, to be used as OMETRIA_API_URL. */
export interface RunningMockOmetria {
  readonly url: string;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** Starts the mock on 127.0.0.1 with an ephemeral port (tests run in parallel without clashing). */
export async function startMockOmetria(options: MockOmetriaOptions = {}): Promise<RunningMockOmetria> {
  const app = await buildMockOmetria(options);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, app, close: () => app.close() };
}
