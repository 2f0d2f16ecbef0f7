import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Features } from '../../schemas/rudder/features.js';
import { isPlainObject } from '../core/plain-object.js';
import type { UpstreamClient } from './upstream-client.js';
import type { Metrics } from '../observability/metrics.js';
import { rawBodyOf } from '../app/json-body.js';

/**
 * The drop-in front (UPSTREAM_TRANSFORMER_URL): a RudderStack server has one transformer URL for
 * every destination, so what is not ours goes to the upstream transformer unchanged, and its
 * answer comes back unchanged.
 */
export class UpstreamForwarder {
  constructor(
    private readonly client: UpstreamClient,
    private readonly metrics: Metrics,
  ) {}

  async forward(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const started = performance.now();
    const body = rawBodyOf(request) ?? (Buffer.isBuffer(request.body) ? request.body : undefined);
    try {
      const res = await this.client.forward({ method: request.method, path: request.url, headers: request.headers, body });
      this.metrics.observeUpstream(res.status, (performance.now() - started) / 1000);
      return reply.code(res.status).headers(res.headers).send(res.body);
    } catch (error) {
      this.metrics.observeUpstream(0, (performance.now() - started) / 1000);
      request.log.error({ err: error }, 'upstream transformer failed');
      const code = (error as { code?: unknown }).code;
      return reply.code(502).send({ error: `Upstream transformer did not answer (${typeof code === 'string' ? code : 'error'})` });
    }
  }

  /**
   * The upstream's /features with our destinations added to `routerTransform` and `regulations`
   * (the worker erases through either transformer); undefined if it failed.
   */
  async features(ours: Features): Promise<Record<string, unknown> | undefined> {
    try {
      const res = await this.client.forward({ method: 'GET', path: '/features', headers: {}, body: undefined });
      if (res.status !== 200) return undefined;
      const theirs: unknown = JSON.parse(res.body.toString('utf8'));
      if (!isPlainObject(theirs)) return undefined;
      const routerTransform = isPlainObject(theirs.routerTransform) ? theirs.routerTransform : {};
      const regulations = Array.isArray(theirs.regulations) ? theirs.regulations.filter((name) => typeof name === 'string') : [];
      return {
        ...theirs,
        routerTransform: { ...routerTransform, ...ours.routerTransform },
        regulations: [...new Set([...regulations, ...ours.regulations])],
      };
    } catch {
      return undefined;
    }
  }
}
