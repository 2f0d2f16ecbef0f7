import type { DeliveryClient } from '../src/core/delivery-client.js';
import type { DestinationRegistry } from '../src/destinations/registry.js';
import type { Metrics } from '../src/observability/metrics.js';
import type { UpstreamForwarder } from '../src/http/upstream-forwarder.js';

/** What the app keeps per destination, built from its definition: its client and its proxy's allowed origins. */
export interface RouteClients {
  readonly delivery: DeliveryClient;
  readonly proxyOrigins: ReadonlySet<string>;
}

/** What every destination route needs from the app. */
export interface RouteDeps {
  readonly registry: DestinationRegistry;
  readonly metrics: Metrics;
  /** Set with UPSTREAM_TRANSFORMER_URL: where requests for other destinations go. */
  readonly upstream?: UpstreamForwarder | undefined;
  /** Each destination's clients, by definition name. */
  readonly clients: ReadonlyMap<string, RouteClients>;
}
