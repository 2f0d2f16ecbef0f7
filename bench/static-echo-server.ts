import { bareApp, serveBare } from './bare-app.js';

/**
 * The old baseline, kept for comparison: it parses the body as the service does and answers a
 * precomputed string of RESPONSE_BYTES (the service's average answer size), so it measures body
 * reading and HTTP alone, with no answer to build.
 */
const size = Number(process.env.RESPONSE_BYTES ?? 1024);
const response = `{"output":"${'x'.repeat(Math.max(0, size - 14))}"}`;

const app = bareApp();
app.post('/routerTransform', async (request, reply) => {
  if (typeof request.body !== 'object' || request.body === null) throw new Error('no body');
  return reply.type('application/json').header('apiVersion', '2').send(response);
});
await serveBare(app);
