import type { FastifyInstance, FastifyRequest } from 'fastify';

// Media types whose bodies are JSON, as the reference transformer accepts them
// (docs/RUDDERSTACK.md, "What every request may carry").
const JSON_MEDIA_TYPES: readonly (string | RegExp)[] = [
  'application/json',
  /^application\/(?:[\w.-]+\+json|json-patch\+json|csp-report)$/,
];

const rawBodies = new WeakMap<FastifyRequest, string>();

/**
 * JSON request bodies. A `__proto__` key must never fail a whole request (docs/DIFFERENCES.md,
 * "Smaller mapping fixes"), so such keys are dropped while parsing. With `keepRaw`, the JSON text
 * is kept beside the parsed body, so a request passed through to the upstream transformer goes
 * out exactly as it came in.
 */
export function registerJsonBodies(app: FastifyInstance, keepRaw: boolean): void {
  const parse = app.getDefaultJsonParser('remove', 'remove');
  // Only JSON is read: a text/plain body is a 415 like any other type, not a string to misjudge.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  for (const type of JSON_MEDIA_TYPES) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (request, body, done) => {
      if (keepRaw) rawBodies.set(request, body as string);
      parse(request, body as string, done);
    });
  }
}

export function rawBodyOf(request: FastifyRequest): string | undefined {
  return rawBodies.get(request);
}
