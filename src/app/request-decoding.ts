import type { FastifyInstance } from 'fastify';
import { Transform, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { HttpError } from './http-error.js';

const DECODERS: Readonly<Record<string, () => Transform>> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * gzip/deflate/br request bodies (docs/RUDDERSTACK.md, "What every request may carry"). Fastify's
 * body limit then applies to the decoded size, so a small compressed bomb is still a 413.
 */
export function registerRequestDecoding(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const header = request.headers['content-encoding'];
    if (header === undefined) return payload;
    const encoding = header.trim().toLowerCase();
    if (encoding === '' || encoding === 'identity') return payload;
    const decoder = DECODERS[encoding];
    if (decoder === undefined) throw new HttpError(415, `Unsupported Content-Encoding: ${encoding}`);
    return decode(payload, decoder());
  });
}

/** The decoded stream, reporting the encoded bytes received as Fastify's length checks expect. */
function decode(payload: Readable, decoder: Transform): Readable {
  const decoded = decoder as Transform & { receivedEncodedLength: number };
  decoded.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => {
    decoded.receivedEncodedLength += chunk.length;
  });
  payload.on('error', (err) => decoded.destroy(err));
  return payload.pipe(decoded);
}
