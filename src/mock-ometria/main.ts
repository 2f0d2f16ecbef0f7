import { pino } from 'pino';
import { buildMockOmetria } from './app.js';
import { EnvError, loadMockOmetriaConfig, mockOptionsFromEnv } from './env.js';
import { mockLoggerOptions } from './logger.js';

// Entry of `npm run mock:ometria` (and the docker-compose mock): env → build → listen → close on signal.
async function main(): Promise<void> {
  let env;
  let options;
  try {
    env = loadMockOmetriaConfig();
    options = mockOptionsFromEnv(env);
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // The mock's logger options redact X-Ometria-Auth wherever a request's headers get logged.
  const logger = pino(mockLoggerOptions(env.LOG_LEVEL));
  const app = await buildMockOmetria({ ...options, logger });
  const shutdown = (signal: string) => {
    app.log.info({ signal }, 'mock Ometria shutting down');
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  await app.listen({ port: env.MOCK_OMETRIA_PORT, host: env.MOCK_OMETRIA_HOST });
  // Rejection rules by count only: a pattern may name an address, and an id list may be long.
  const { apiKeys, faults, queue, rejections, deletions } = options;
  const rejecting = { ids: rejections.ids?.length ?? 0, emailPattern: rejections.emailPattern !== undefined };
  app.log.info({ apiKeys: apiKeys.length, faults, queue, rejecting, deletions }, 'mock Ometria Push API ready');
}

main().catch((error: unknown) => {
  process.stderr.write(`mock Ometria failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
