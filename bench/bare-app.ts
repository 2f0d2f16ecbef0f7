import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { registerJsonBodies } from '../src/app/json-body.js';

/**
 * A bare Fastify server reading bodies exactly as the service does: its own JSON parser (the
 * same poisoning rules) and body limit. No logger, no validation, no hooks: what the baselines
 * add on top is all they measure.
 */
export function bareApp(): FastifyInstance {
  const app = Fastify({ bodyLimit: loadConfig().BODY_LIMIT, onProtoPoisoning: 'remove', onConstructorPoisoning: 'remove' });
  registerJsonBodies(app, false);
  app.get('/health', async () => ({ service: 'UP' }));
  return app;
}

/** Listens on PORT (HOST) and closes on SIGTERM, so the bench can stop it and read its peak RSS. */
export async function serveBare(app: FastifyInstance): Promise<void> {
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
  await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' });
}
