import type { DestinationRegistry } from '../src/destinations/registry.js';
import type { Metrics } from '../src/observability/metrics.js';
import type { UpstreamForwarder } from '../src/http/upstream-forwarder.js';

/** What every destination route needs from the app. */
export interface RouteDeps {
  readonly registry: DestinationRegistry;
  readonly metrics: Metrics;
  /** Set with UPSTREAM_TRANSFORMER_URL: where requests for other destinations go. */
  readonly upstream?: UpstreamForwarder | undefined;
}
