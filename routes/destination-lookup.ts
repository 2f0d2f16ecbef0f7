import type { DestinationDefinition } from '../src/core/destination.js';
import type { DestinationRegistry } from '../src/destinations/registry.js';
import { HttpError } from '../src/request-decoding.js';

/** The named destination, or the 404 RudderStack expects: `Unknown destination: <name>`. */
export function destinationOr404(registry: DestinationRegistry, name: string): DestinationDefinition {
  const def = registry.get(name);
  if (def === undefined) throw new HttpError(404, `Unknown destination: ${name}`);
  return def;
}
