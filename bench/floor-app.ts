import type { FastifyInstance } from 'fastify';
import { RouterRequestSchema } from '../schemas/rudder/requests.js';
import { buildApp } from '../src/app/app.js';
import type { AppConfig } from '../src/config.js';
import { counterOfJobId, type Template, type Variant } from './templates.js';

/**
 * The ceiling: the service's whole stack (body parsing, envelope validation, hooks, request log,
 * metrics, load shedding) with a transform that costs nothing. `/floor` answers the service's own
 * answer to the request's template (rendered with counter = template index), computed once at
 * start-up and serialized per request as the real route does: the same size as the real answer,
 * with that rendering's ids. Whatever ratio this reaches is the most any transform could reach.
 */
export async function buildFloorApp(config: AppConfig, templates: readonly Template[]): Promise<FastifyInstance> {
  // Answers come from a separate instance: routes cannot be added to one that has served a request.
  const probe = await buildApp({ ...config, LOG_LEVEL: 'silent' });
  const answerTo = async (template: Template, variant: Variant): Promise<unknown> => {
    const payload = template.render(variant, template.index);
    const res = await probe.inject({ method: 'POST', url: '/routerTransform', headers: { 'content-type': 'application/json' }, payload });
    if (res.statusCode !== 200) throw new Error(`the service answered ${res.statusCode} to template ${template.index} (${variant})`);
    return res.json();
  };
  const answers: Record<Variant, unknown[]> = { compacted: [], plain: [] };
  for (const template of templates) {
    answers.compacted.push(await answerTo(template, 'compacted'));
    answers.plain.push(await answerTo(template, 'plain'));
  }
  await probe.close();

  const app = await buildApp(config);
  app.post(
    '/floor',
    { schema: { body: RouterRequestSchema }, serializerCompiler: () => (data: unknown) => JSON.stringify(data) },
    async (request, reply) => {
      const body = request.body as { input: { metadata?: { jobId?: unknown } }[]; destinations?: unknown };
      // A request's template follows from its counter, which its first jobId carries.
      const jobId = body.input[0]?.metadata?.jobId;
      const answer = typeof jobId === 'number' ? answers[body.destinations === undefined ? 'plain' : 'compacted'][counterOfJobId(jobId) % templates.length] : undefined;
      if (answer === undefined) return reply.code(400).send({ error: 'not a bench body: no template for its first jobId' });
      void reply.header('apiVersion', '2');
      return answer;
    },
  );
  return app;
}
