import { createRequire } from 'node:module';

/**
 * How fast this process can produce requests: a fresh body (counter, template bytes) framed by
 * autocannon's own request builder (the code its clients run per request: headers, Buffer of the
 * body, concatenation). If that is far above what the baseline serves, the load generator is not
 * what limits the baseline. Reading answers costs the client too: run.ts reports its CPU per run.
 */
type BuildRequest = (request: object, context: object) => Buffer | null;
const requestBuilder = createRequire(import.meta.url)('autocannon/lib/httpRequestBuilder.js') as (defaults: object) => BuildRequest;

export interface ClientCapacity {
  readonly microsecondsPerRequest: number;
  readonly requestsPerSecond: number;
}

export function measureClientCapacity(body: () => Buffer, headers: Readonly<Record<string, string>>, calls = 10_000): ClientCapacity {
  const build = requestBuilder({
    method: 'POST',
    path: '/routerTransform',
    hostname: '127.0.0.1',
    port: 80,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    setupRequest: (request: { body?: Buffer }) => {
      request.body = body();
      return request;
    },
  });
  let bytes = 0;
  // A short warm-up so the timing is of optimized code, as during a run.
  for (let i = 0; i < 200; i++) bytes += build({}, {})?.length ?? 0;
  const start = performance.now();
  for (let i = 0; i < calls; i++) bytes += build({}, {})?.length ?? 0;
  const ms = performance.now() - start;
  if (bytes === 0) throw new Error('autocannon built no request');
  return { microsecondsPerRequest: (ms * 1000) / calls, requestsPerSecond: (calls * 1000) / ms };
}
