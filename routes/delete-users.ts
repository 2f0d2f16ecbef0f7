import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { DeleteUsersAnswerSchema, DeleteUsersRequestSchema, type DeleteUsersJob, type DeleteUsersResult } from '../schemas/rudder/delete-users.js';
import { failure } from '../src/core/erasure/erasure-answer.js';
import type { ErasureService } from '../src/core/erasure/erasure-service.js';
import { isPlainObject } from '../src/core/plain-object.js';
import type { RouteDeps } from './route-deps.js';

export interface DeleteUsersRoutesOptions extends RouteDeps {
  /** One erasure service per destination that can erase people, by definition name. */
  readonly erasure: ReadonlyMap<string, ErasureService>;
}

/** The destType of the body's first job, for routing (other destinations' jobs go upstream). */
const firstDestType = (request: FastifyRequest): unknown => {
  const [first] = Array.isArray(request.body) ? (request.body as unknown[]) : [];
  return isPlainObject(first) ? first.destType : undefined;
};

/**
 * POST /deleteUsers: RudderStack's regulation worker erasing people (SPEC §8, docs/RUDDERSTACK.md).
 * Every answer is the worker's one-element array, its statusCode also the HTTP status.
 */
export const deleteUsersRoutes: FastifyPluginAsyncTypebox<DeleteUsersRoutesOptions> = async (app, { registry, upstream, erasure }) => {
  app.post(
    '/deleteUsers',
    {
      schema: {
        summary: "Erase people (RudderStack's regulation worker): 200 once the destination accepted every person of the job",
        body: DeleteUsersRequestSchema,
        response: { default: DeleteUsersAnswerSchema },
      },
      // The schema is the OpenAPI document's; answers are built to it here, and an error raised
      // before the handler (a body that is not JSON) keeps the error handler's own shape.
      serializerCompiler: () => (data: unknown) => JSON.stringify(data),
      // The worker reads the status; a body that is not the expected array gets its 400 in the worker's shape too.
      attachValidation: true,
      // Another destination's job goes to the upstream transformer as it came (drop-in mode).
      preValidation: async (request, reply) => {
        const name = firstDestType(request);
        if (typeof name !== 'string' || registry.get(name) !== undefined) return undefined;
        if (upstream !== undefined) return upstream.forward(request, reply);
        return reply.code(404).send([failure(404, `Unknown destination: ${name}`)]);
      },
    },
    async (request, reply) => {
      const answer = (result: DeleteUsersResult) => reply.code(result.statusCode).send([result]);
      if (request.validationError !== undefined) return answer(failure(400, `Invalid request: ${request.validationError.message}`));
      // The schema holds exactly one job.
      const job = request.body[0] as DeleteUsersJob;
      const def = registry.get(job.destType);
      const service = def === undefined ? undefined : erasure.get(def.name);
      if (def === undefined || service === undefined) {
        // 404 is what the worker reads as "not supported": it aborts the job instead of retrying.
        return answer(failure(404, `Erasing people is not supported for destination ${job.destType}`));
      }
      try {
        return answer(await service.handle(job));
      } catch (error) {
        request.log.error({ err: error, jobId: String(job.jobId) }, 'erasure failed');
        return answer(failure(500, `${def.displayName} erasure could not be tracked (the erasure store failed): the worker's next attempt retries it`));
      }
    },
  );
};
