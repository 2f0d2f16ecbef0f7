import { Type, type Static } from '@sinclair/typebox';

const OpenObject = Type.Object({}, { additionalProperties: true });

/** One erasure job of RudderStack's regulation worker (docs/RUDDERSTACK.md, "/deleteUsers"). */
export const DeleteUsersJobSchema = Type.Object(
  {
    // The worker sends it as a string; a number (a hand-made call) is read as its decimal text.
    jobId: Type.Union([Type.String({ minLength: 1 }), Type.Integer()]),
    destType: Type.String({ minLength: 1 }),
    config: OpenObject,
    // Judged by the service, so that a job naming nobody gets its own clear answer.
    userAttributes: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: true },
);
export type DeleteUsersJob = Static<typeof DeleteUsersJobSchema>;

/** The worker sends one job per call. */
export const DeleteUsersRequestSchema = Type.Array(DeleteUsersJobSchema, { minItems: 1, maxItems: 1 });
export type DeleteUsersRequest = Static<typeof DeleteUsersRequestSchema>;

/** The answer: one element, whose statusCode is also the HTTP status (the worker reads only that). */
export const DeleteUsersResultSchema = Type.Union([
  Type.Object({ statusCode: Type.Literal(200), status: Type.Literal('successful') }),
  Type.Object({ statusCode: Type.Integer(), error: Type.String() }),
]);
export type DeleteUsersResult = Static<typeof DeleteUsersResultSchema>;
export const DeleteUsersAnswerSchema = Type.Array(DeleteUsersResultSchema);
