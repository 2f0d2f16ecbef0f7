import { createOmetria } from '../../src/destinations/ometria/definition.js';
import { transformEvent, type EventOutcome, type PipelineLogger } from '../../src/core/transform/pipeline.js';

export const ometria = createOmetria({ apiUrl: 'https://api.ometria.com' });

export interface CapturedLog {
  readonly level: 'warn' | 'error';
  readonly bindings: Record<string, unknown>;
  readonly message: string;
}

/** A logger that keeps what it is given, for assertions. */
export function captureLogger(): PipelineLogger & { readonly entries: CapturedLog[] } {
  const entries: CapturedLog[] = [];
  return {
    entries,
    warn: (bindings, message) => entries.push({ level: 'warn', bindings: bindings as Record<string, unknown>, message }),
    error: (bindings, message) => entries.push({ level: 'error', bindings: bindings as Record<string, unknown>, message }),
  };
}

/** Runs one message through the Ometria pipeline, as the processor route would. */
export function transformOne(
  message: unknown,
  config: Record<string, unknown> = { apiKey: 'key-1' },
  metadata: Record<string, unknown> = { jobId: 1, destinationId: 'dest-1', workspaceId: 'ws-1' },
): { outcome: EventOutcome; log: CapturedLog[] } {
  const logger = captureLogger();
  const outcome = transformEvent(ometria, { message, metadata, destination: { ID: 'dest-1', Config: config } }, { log: logger });
  return { outcome, log: logger.entries };
}
