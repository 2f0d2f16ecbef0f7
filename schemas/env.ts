import { FormatRegistry, Type, type Static } from '@sinclair/typebox';
import { toCountry } from '../src/core/engine/checks/country.js';
import { hasNumberingPlan } from '../src/core/engine/checks/phone/index.js';

const MiB = 1024 * 1024;

/**
 * An http: or https: origin (scheme, host, optional port, optional trailing slash) as the WHATWG
 * URL parser reads it, which is how undici and the proxy's origin check read it. No path: the
 * service appends its own. No query or fragment. No user:password: undici drops them without a
 * word, and they would reach the start-up log.
 */
FormatRegistry.Set('http-origin', (value) => {
  if (!/^https?:\/\/\S+$/i.test(value)) return false;
  try {
    const url = new URL(value);
    return url.href === `${url.origin}/`;
  } catch {
    return false;
  }
});
// A country (as the mapping reads countries) for which the phone library has a numbering plan.
FormatRegistry.Set('phone-country', (value) => {
  const country = toCountry(value);
  return country !== undefined && hasNumberingPlan(country);
});

// Where the erasure store is: a Postgres URL (postgres:// or postgresql://, with a host and a
// database), or else the path of an SQLite file. Exempt from the origin rule: a database URL
// carries a user, a password and a database name.
FormatRegistry.Set('erasure-store', (value) => {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value.trim() !== '';
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1;
  } catch {
    return false;
  }
});

const ORIGIN_RULE = 'an http: or https: origin such as https://host:port, without path, query or user:password';

/** Every environment variable the service reads, with its default (mirrored in .env.example). */
export const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 9090, description: 'Port to listen on' }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0', description: 'Address to listen on' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info', description: 'pino log level' },
  ),
  BODY_LIMIT: Type.Integer({
    minimum: 1024,
    default: 64 * MiB,
    description: 'Largest request body in bytes, after decompression (413 beyond)',
  }),
  OMETRIA_API_URL: Type.String({
    format: 'http-origin',
    default: 'https://api.ometria.com',
    description: `Origin of Ometria's API, ${ORIGIN_RULE}; output endpoints are <OMETRIA_API_URL>/v2/push`,
  }),
  // Comma-separated in the environment (the loader splits it); each entry is checked on its own.
  OMETRIA_PROXY_ORIGINS: Type.Array(Type.String({ format: 'http-origin' }), {
    default: [],
    description: `Extra origins the proxy routes may send to besides OMETRIA_API_URL's, comma-separated, each ${ORIGIN_RULE}`,
  }),
  // Unset is '': national numbers then need the contact's own country.
  PHONE_DEFAULT_COUNTRY: Type.Union([Type.Literal(''), Type.String({ format: 'phone-country' })], {
    default: '',
    description:
      "Country a contact's national phone number (without +) is read in when the contact has no country_id: an ISO 3166-1 code or English name of a country with a phone numbering plan (GB); empty = none",
  }),
  OMETRIA_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 10_000, description: 'Timeout of one push attempt' }),
  OMETRIA_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 20, default: 5, description: 'Attempts per push, first included' }),
  OMETRIA_RETRY_BASE_MS: Type.Integer({ minimum: 1, default: 250, description: 'Backoff base: attempt n waits up to base × 2^(n-1) (full jitter)' }),
  OMETRIA_RETRY_MAX_MS: Type.Integer({ minimum: 1, default: 8_000, description: 'Longest single backoff wait' }),
  OMETRIA_DEADLINE_MS: Type.Integer({ minimum: 100, default: 30_000, description: 'Overall time for one push, retries and waits included' }),
  OMETRIA_RATE_LIMIT: Type.Number({
    minimum: 0,
    default: 8,
    description: "Pushes per second per API key (Ometria's default account limit is 8/s); 0 = unlimited",
  }),
  OMETRIA_DELETION_RATE_PER_MINUTE: Type.Integer({
    minimum: 1,
    default: 6,
    description: "Erasure (GDPR) requests to Ometria per API key in any 60 s, across every process sharing DELETION_STORE (Ometria's documented limit is 6)",
  }),
  DELETION_STORE: Type.String({
    format: 'erasure-store',
    default: 'data/erasure.sqlite',
    description:
      'Where erasures are tracked (claims, acceptances, completed jobs, the rate window; hashes only): an SQLite file path (created with its folder; share it between the processes of one instance), or postgres://user:password@host:port/database for replicas',
  }),
  DELETION_WAIT_MS: Type.Integer({
    minimum: 0,
    maximum: 600_000,
    default: 50_000,
    description: "How long one /deleteUsers call waits for its job's people before answering (RudderStack's regulation worker gives up at 60 s)",
  }),
  OMETRIA_CONNECTIONS: Type.Integer({ minimum: 1, default: 32, description: 'Keep-alive connections per Ometria origin' }),
  DELIVERY_CONCURRENCY: Type.Integer({ minimum: 1, default: 4, description: 'Pushes in flight at once for one /deliver request' }),
  // Unset is '' (what the app tests for), so the origin is the union's other member.
  UPSTREAM_TRANSFORMER_URL: Type.Union([Type.Literal(''), Type.String({ format: 'http-origin' })], {
    default: '',
    description: `RudderStack transformer to pass every non-Ometria request to, ${ORIGIN_RULE}; empty = 404 for other destinations`,
  }),
  UPSTREAM_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: 600_000, description: 'Timeout of a pass-through request' }),
  SHED_MAX_EVENT_LOOP_DELAY_MS: Type.Integer({
    minimum: 0,
    default: 1000,
    description: 'Shed load (503 + X-Rudder-Should-Retry) above this event-loop delay; 0 = off',
  }),
  SHED_MAX_EVENT_LOOP_UTILIZATION: Type.Number({ minimum: 0, maximum: 1, default: 0, description: 'Shed load above this event-loop utilization; 0 = off' }),
  SHED_MAX_HEAP_USED_BYTES: Type.Integer({ minimum: 0, default: 0, description: 'Shed load above this heap use; 0 = off' }),
  SHED_MAX_RSS_BYTES: Type.Integer({ minimum: 0, default: 0, description: 'Shed load above this resident memory; 0 = off' }),
  // Under 50 ms the event-loop histogram may hold no sample, which under-pressure reads as infinite delay.
  SHED_SAMPLE_INTERVAL_MS: Type.Integer({ minimum: 50, default: 1000, description: 'How often the pressure is sampled' }),
  WORKERS: Type.Integer({ minimum: 0, maximum: 64, default: 1, description: 'Processes serving the port (node cluster); 0 = one per core' }),
  SHUTDOWN_GRACE_MS: Type.Integer({
    minimum: 0,
    default: 10_000,
    description: 'On SIGTERM, time to finish in-flight requests and deliveries before exiting anyway',
  }),
  SHUTDOWN_DELAY_MS: Type.Integer({
    minimum: 0,
    default: 0,
    description:
      'On SIGTERM, time /ready answers 503 while the port still serves, before in-flight work drains (so a load balancer stops sending first)',
  }),
});
export type Env = Static<typeof EnvSchema>;
