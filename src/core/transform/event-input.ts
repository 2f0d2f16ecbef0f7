import { exceedsDepth } from '../depth.js';
import { EnvelopeError } from '../errors.js';
import { isPlainObject, ownValue, type PlainObject } from '../plain-object.js';
import { MAX_VALUE_DEPTH } from '../engine/sanitize.js';

/** One event as the pipeline takes it, whatever request shape it came in. */
export interface EventInput {
  readonly message: unknown;
  /** Echoed unchanged in the output. */
  readonly metadata: unknown;
  readonly destination: unknown;
  /** Why `destination` is missing, when the request shape could not supply one. */
  readonly destinationError?: string | undefined;
}

/**
 * Request items → pipeline inputs. A compacted request (`X-Content-Format: json+compactedv1`)
 * sends each destination once, in `destinations`, and items carry only message and metadata: an
 * item's destination is then `destinations[metadata.destinationId]` (docs/RUDDERSTACK.md,
 * "Processor transform").
 */
export function toEventInputs(items: readonly PlainObject[], destinations?: PlainObject, label = 'input'): EventInput[] {
  if (destinations !== undefined) {
    for (const [id, destination] of Object.entries(destinations)) assertEchoable(destination, `destinations.${id}`);
  }
  return items.map((item, index) => {
    const { message, metadata } = item;
    // Metadata and destinations are echoed in the answer; JSON.stringify cannot write ~10,000 levels.
    assertEchoable(metadata, `${label}[${index}].metadata`);
    assertEchoable(item.destination, `${label}[${index}].destination`);
    if (item.destination !== undefined || destinations === undefined) {
      return { message, metadata, destination: item.destination };
    }
    const id = isPlainObject(metadata) ? metadata.destinationId : undefined;
    const destination = typeof id === 'string' ? ownValue(destinations, id) : undefined;
    return {
      message,
      metadata,
      destination,
      destinationError: destination === undefined ? `no destination found for id ${String(id)}` : undefined,
    };
  });
}

function assertEchoable(value: unknown, path: string): void {
  if (exceedsDepth(value, MAX_VALUE_DEPTH)) {
    throw new EnvelopeError(`Invalid request: ${path} is nested deeper than ${MAX_VALUE_DEPTH} levels`);
  }
}
