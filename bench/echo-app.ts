import type { FastifyInstance } from 'fastify';
import { bareApp } from './bare-app.js';

/**
 * The baseline: the least any transformer must do with a router request. It parses the body as
 * the service does, builds one small record per event, serializes them into one batch string and
 * answers one batch in RudderStack's shape, with every event's metadata and the destination, so
 * its answer costs about what the service's answer costs to write. Whatever the service costs
 * beyond this is transforming (and its own stack).
 */
interface Item {
  message?: { type?: unknown; messageId?: unknown; context?: { traits?: { email?: unknown } }; properties?: unknown };
  metadata?: { destinationId?: string };
  destination?: { Config?: { apiKey?: unknown } };
}

interface RouterBody {
  input?: Item[];
  destinations?: Record<string, Item['destination']>;
}

export function buildEchoApp(): FastifyInstance {
  const app = bareApp();
  app.post('/routerTransform', async (request, reply) => {
    const body = request.body as RouterBody;
    const input = body.input ?? [];
    void reply.type('application/json').header('apiVersion', '2');
    if (input.length === 0) return reply.send('{"output":[]}');
    const records = input.map(({ message }) => ({
      '@type': message?.type === 'identify' ? 'contact' : 'custom_event',
      id: message?.messageId,
      email: message?.context?.traits?.email,
      properties: message?.properties,
    }));
    const first = input[0]!;
    // Plain items carry their destination; compacted ones name it in `destinations`.
    const destination = first.destination ?? body.destinations?.[first.metadata?.destinationId ?? ''];
    const output = [
      {
        batchedRequest: {
          version: '1',
          type: 'REST',
          method: 'POST',
          endpoint: 'https://api.ometria.com/v2/push',
          headers: { 'X-Ometria-Auth': destination?.Config?.apiKey, 'Content-Type': 'application/json' },
          params: {},
          body: { JSON: {}, JSON_ARRAY: { batch: JSON.stringify(records) }, XML: {}, FORM: {} },
          files: {},
        },
        metadata: input.map((item) => item.metadata),
        batched: true,
        statusCode: 200,
        destination,
      },
    ];
    return reply.send(JSON.stringify({ output }));
  });
  return app;
}
