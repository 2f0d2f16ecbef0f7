import type { TSchema } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { MockErrorSchema } from '../schemas.js';

/** One runtime setting of the mock (fault injection, rejection rules, the queue) and its routes. */
export interface SettingRoutesOptions<S, U> {
  /** `/_control/<name>`. */
  readonly name: string;
  readonly summaries: { readonly get: string; readonly put: string; readonly delete: string };
  /** What the three routes answer. */
  readonly stateSchema: TSchema;
  /** PUT's body: an update with every field optional (omitted = off). */
  readonly updateSchema: TSchema;
  /** The settings a checked update stands for; throws for what a schema cannot say (a pattern that does not compile …). */
  resolve(update: U): S;
  replace(settings: S): void;
  state(): unknown;
  /** What DELETE goes back to: the settings the mock started with. */
  readonly initial: S;
}

/** GET reads a setting, PUT replaces it (a change applies to the next push), DELETE restores the start-up one. */
export function settingRoutes<S, U>(options: SettingRoutesOptions<S, U>): FastifyPluginAsync {
  const { name, summaries, stateSchema, updateSchema } = options;
  const path = `/_control/${name}`;
  return async (app) => {
    app.get(path, { schema: { summary: summaries.get, response: { 200: stateSchema } } }, async () => options.state());

    app.put(
      path,
      { schema: { summary: summaries.put, body: updateSchema, response: { 200: stateSchema, 400: MockErrorSchema } } },
      async (request, reply) => {
        let settings: S;
        try {
          settings = options.resolve(request.body as U);
        } catch (error) {
          return reply.code(400).send({ status: 'ERROR', message: (error as Error).message });
        }
        options.replace(settings);
        return options.state();
      },
    );

    app.delete(path, { schema: { summary: summaries.delete, response: { 200: stateSchema } } }, async () => {
      options.replace(options.initial);
      return options.state();
    });
  };
}
