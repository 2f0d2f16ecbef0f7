import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FaultSettingsSchema, FaultSettingsUpdateSchema, MockErrorSchema, type FaultSettings } from '../../schemas/mock-ometria.js';
import { resolveFaults, type FaultInjector } from './faults.js';

export interface ControlRoutesOptions {
  readonly faults: FaultInjector;
  /** What DELETE /_control/faults goes back to: the settings the mock started with. */
  readonly initial: FaultSettings;
}

/** Fault settings at runtime; each change restarts the PRNG from the seed and the rate windows. */
export const controlRoutes: FastifyPluginAsyncTypebox<ControlRoutesOptions> = async (app, { faults, initial }) => {
  app.get(
    '/_control/faults',
    { schema: { summary: 'Current fault settings', response: { 200: FaultSettingsSchema } } },
    async () => faults.settings,
  );

  app.put(
    '/_control/faults',
    {
      schema: {
        summary: 'Replace the fault settings (omitted ones are off)',
        body: FaultSettingsUpdateSchema,
        response: { 200: FaultSettingsSchema, 400: MockErrorSchema },
      },
    },
    async (request, reply) => {
      // The schema has checked each field; the shares' sum is the one cross-field rule left.
      let settings: FaultSettings;
      try {
        settings = resolveFaults(request.body);
      } catch (error) {
        return reply.code(400).send({ status: 'ERROR', message: (error as Error).message });
      }
      faults.replace(settings);
      return settings;
    },
  );

  app.delete(
    '/_control/faults',
    { schema: { summary: 'Back to the start-up fault settings', response: { 200: FaultSettingsSchema } } },
    async () => {
      faults.replace(initial);
      return initial;
    },
  );
};
