import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

interface ErrorAnswer {
  readonly status: number;
  readonly text: string;
}

function answer(error: FastifyError, request: FastifyRequest): ErrorAnswer {
  if (error.validation !== undefined) return { status: 400, text: `Invalid request: ${error.message}` };
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, text: `Body is not valid JSON: ${error.message}` };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, text: 'Body is empty: send a JSON body' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, text: `Body is larger than the limit of ${request.routeOptions.bodyLimit ?? 0} bytes` };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        text: `Unsupported Content-Type ${JSON.stringify(request.headers['content-type'] ?? '')}: send application/json`,
      };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, text: 'Body length does not match Content-Length' };
  }
  const status = error.statusCode ?? 500;
  if (status >= 500) return { status, text: 'Internal Server Error' };
  // JSON syntax errors and undecodable compressed bodies arrive as plain 400s.
  if (error instanceof SyntaxError) return { status: 400, text: `Body is not valid JSON: ${error.message}` };
  if ('errno' in error && typeof error.errno === 'number') return { status: 400, text: `Body could not be decoded: ${error.message}` };
  return { status, text: error.message };
}

/**
 * Envelope errors as `{"error": "<text>"}` with a clear text; unexpected failures are logged in
 * full and answered without internals.
 */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { status, text } = answer(error, request);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  void reply.code(status).send({ error: text });
}

/** Errors raised before routing (FST_ERR_BAD_URL, FST_ERR_MAX_PARAM_LENGTH …), in the same shape. */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(error.statusCode ?? 400).send({ error: error.message });
}
