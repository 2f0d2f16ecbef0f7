import type { FastifyInstance } from 'fastify';
import { RouterRequestSchema } from '../schemas/rudder/requests.js';
import { buildApp } from '../src/app.js';
import type { AppConfig } from '../src/config.js';
import { compactedRouterBody, routerBody } from './body.js';

/**
 * The ceiling: the service's whole stack (body parsing, envelope validation, hooks, request log,
 * metrics, load shedding) with a transform that costs nothing. `/floor` answers the service's own
 * answer to the bench body, computed once and serialized per request as the real route does.
 * Whatever ratio this reaches is the most any transform could reach in the same run.
 */
export async function buildFloorApp(config: AppConfig, events: number): Promise<FastifyInstance> {
  // Answers come from a separate instance: routes cannot be added to one that has served a request.
  const probe = await buildApp({ ...config, LOG_LEVEL: 'silent' });
  const answerTo = async (payload: string): Promise<unknown> => {
    const res = await probe.inject({ method: 'POST', url: '/routerTransform', headers: { 'content-type': 'application/json' }, payload });
    if (res.statusCode !== 200) throw new Error(`the service answered ${res.statusCode} to the bench body`);
    return res.json();
  };
  const plainAnswer = await answerTo(routerBody(events));
  const compactedAnswer = await answerTo(compactedRouterBody(events));
  await probe.close();

  const app = await buildApp(config);
  app.post(
    '/floor',
    { schema: { body: RouterRequestSchema }, serializerCompiler: () => (data: unknown) => JSON.stringify(data) },
    async (request, reply) => {
      void reply.header('apiVersion', '2');
      return (request.body as { destinations?: unknown }).destinations === undefined ? plainAnswer : compactedAnswer;
    },
  );
  return app;
}
