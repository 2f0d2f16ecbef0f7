import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MockErrorSchema, RejectionRulesSchema, RejectionRulesUpdateSchema, type RejectionRules } from '../../schemas/mock-ometria.js';
import { resolveRejections, type RejectionRuleSet } from './rejection-rules.js';

export interface RejectionRoutesOptions {
  readonly rejections: RejectionRuleSet;
  /** What DELETE /_control/rejections goes back to: the rules the mock started with. */
  readonly initial: RejectionRules;
}

/** The rejection rules at runtime; a change applies to the next push. */
export const rejectionRoutes: FastifyPluginAsyncTypebox<RejectionRoutesOptions> = async (app, { rejections, initial }) => {
  app.get(
    '/_control/rejections',
    { schema: { summary: 'Current rejection rules', response: { 200: RejectionRulesSchema } } },
    async () => rejections.rules,
  );

  app.put(
    '/_control/rejections',
    {
      schema: {
        summary: 'Replace the rejection rules (omitted ones are off)',
        body: RejectionRulesUpdateSchema,
        response: { 200: RejectionRulesSchema, 400: MockErrorSchema },
      },
    },
    async (request, reply) => {
      // The schema has checked the shape; whether the pattern compiles is the one rule left.
      let rules: RejectionRules;
      try {
        rules = resolveRejections(request.body);
      } catch (error) {
        return reply.code(400).send({ status: 'ERROR', message: `body/${(error as Error).message}` });
      }
      rejections.replace(rules);
      return rules;
    },
  );

  app.delete(
    '/_control/rejections',
    { schema: { summary: 'Back to the start-up rejection rules', response: { 200: RejectionRulesSchema } } },
    async () => {
      rejections.replace(initial);
      return initial;
    },
  );
};
