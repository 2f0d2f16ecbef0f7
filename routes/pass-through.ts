import type { FastifyPluginAsync } from 'fastify';
import type { UpstreamForwarder } from '../src/http/upstream-forwarder.js';

export interface PassThroughOptions {
  readonly upstream: UpstreamForwarder;
}

/**
 * Every route this service does not serve (source transforms, other destinations' routes …) goes
 * to the upstream transformer as it came: any content type, body kept as bytes.
 */
export const passThroughRoutes: FastifyPluginAsync<PassThroughOptions> = async (app, { upstream }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.all('/*', { schema: { hide: true } }, (request, reply) => upstream.forward(request, reply));
};
