import type { FastifyInstance } from 'fastify';
import { isPlainObject } from '../core/plain-object.js';
import type { Metrics } from './metrics.js';

// Probes and scrapes would drown the log at info.
const QUIET_ROUTES = new Set(['/health', '/ready', '/metrics', '/features']);

function eventCount(body: unknown): number | undefined {
  if (Array.isArray(body)) return body.length;
  if (isPlainObject(body) && Array.isArray(body.input)) return body.input.length;
  return undefined;
}

/**
 * One JSON line per request (route, status, duration, event count) and its latency metric. The
 * request id comes from `X-Request-Id` when given and is echoed back, so a caller can find its line.
 */
export function registerRequestLogging(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onSend', async (request, reply, payload) => {
    void reply.header('x-request-id', request.id);
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    const line = {
      method: request.method,
      route,
      url: request.url,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
      events: eventCount(request.body),
    };
    if (QUIET_ROUTES.has(route)) request.log.debug(line, 'request');
    else request.log.info(line, 'request');
  });
}
