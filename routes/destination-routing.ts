import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DestinationDefinition } from '../src/core/destination.js';
import { isPlainObject } from '../src/core/plain-object.js';
import type { DestinationRegistry } from '../src/destinations/registry.js';
import { HttpError } from '../src/app/http-error.js';
import type { UpstreamForwarder } from '../src/http/upstream-forwarder.js';
import type { RouteClients } from './route-deps.js';

/** The named destination, or the 404 RudderStack expects: `Unknown destination: <name>`. */
export function destinationOr404(registry: DestinationRegistry, name: string): DestinationDefinition {
  const def = registry.get(name);
  if (def === undefined) throw new HttpError(404, `Unknown destination: ${name}`);
  return def;
}

/** The clients the app built for a destination of its registry. */
export function clientsOf(clients: ReadonlyMap<string, RouteClients>, def: DestinationDefinition): RouteClients {
  const own = clients.get(def.name);
  if (own === undefined) throw new Error(`No clients for destination ${def.name}`);
  return own;
}

export const pathDestination = (request: FastifyRequest): unknown =>
  isPlainObject(request.params) ? request.params.destination : undefined;
export const bodyDestType = (request: FastifyRequest): unknown =>
  isPlainObject(request.body) ? request.body.destType : undefined;

/**
 * A preValidation hook: a destination we do not serve goes to the upstream transformer when one
 * is configured, else it is the 404 — before the body is judged against our schemas.
 */
export function ourDestinationOrElse(
  registry: DestinationRegistry,
  upstream: UpstreamForwarder | undefined,
  nameOf: (request: FastifyRequest) => unknown,
) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const name = nameOf(request);
    if (typeof name !== 'string' || registry.get(name) !== undefined) return undefined;
    if (upstream !== undefined) return upstream.forward(request, reply);
    throw new HttpError(404, `Unknown destination: ${name}`);
  };
}
