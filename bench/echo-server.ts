import Fastify from 'fastify';

/**
 * The baseline: a bare Fastify server that parses the same request body and answers a response
 * of the same size, precomputed. Whatever our service costs beyond this is transforming.
 */
const port = Number(process.env.PORT ?? 0);
const size = Number(process.env.RESPONSE_BYTES ?? 1024);
const response = `{"output":"${'x'.repeat(Math.max(0, size - 14))}"}`;

const app = Fastify({ bodyLimit: 64 * 1024 * 1024 });
app.post('/routerTransform', async (request, reply) => {
  if (typeof request.body !== 'object' || request.body === null) throw new Error('no body');
  return reply.type('application/json').header('apiVersion', '2').send(response);
});
app.get('/health', async () => ({ service: 'UP' }));
await app.listen({ port, host: '127.0.0.1' });
