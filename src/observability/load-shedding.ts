import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config.js';
import type { Metrics } from './metrics.js';

/**
 * Refuses work with 503 while the process is under pressure. `X-Rudder-Should-Retry: true` makes
 * RudderStack's processor retry the request (its router treats any non-200 as retryable anyway),
 * so shedding loses nothing. Registered only around the work routes: probes keep answering.
 */
export async function registerLoadShedding(app: FastifyInstance, config: AppConfig, metrics: Metrics): Promise<void> {
  await app.register(underPressure, {
    maxEventLoopDelay: config.SHED_MAX_EVENT_LOOP_DELAY_MS,
    maxEventLoopUtilization: config.SHED_MAX_EVENT_LOOP_UTILIZATION,
    maxHeapUsedBytes: config.SHED_MAX_HEAP_USED_BYTES,
    maxRssBytes: config.SHED_MAX_RSS_BYTES,
    sampleInterval: config.SHED_SAMPLE_INTERVAL_MS,
    pressureHandler: (_request, reply, type) => {
      metrics.observeShed(String(type));
      void reply
        .code(503)
        .header('X-Rudder-Should-Retry', 'true')
        .header('X-Rudder-Error-Reason', `under_pressure_${String(type)}`)
        .header('Retry-After', '1')
        .send({ error: `Service under pressure (${String(type)}); retry shortly` });
    },
  });
}
