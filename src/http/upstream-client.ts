import type { IncomingHttpHeaders } from 'node:http';
import { Agent, request, type Dispatcher } from 'undici';
import { HOP_BY_HOP_HEADERS } from '../core/headers.js';

export interface UpstreamRequest {
  readonly method: string;
  /** Path and query string, as received. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string | Buffer | undefined;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

// Hop-by-hop headers describe one connection, not the request; the body was decoded here, so its
// length and encoding change too (and an `Expect` was answered here).
const REQUEST_DROP: ReadonlySet<string> = new Set([...HOP_BY_HOP_HEADERS, 'content-encoding', 'expect']);
const RESPONSE_DROP = HOP_BY_HOP_HEADERS;

function keep(headers: Record<string, string | string[] | undefined>, drop: ReadonlySet<string>): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !drop.has(name.toLowerCase())) kept[name] = value;
  }
  return kept;
}

/** Passes requests through to another RudderStack transformer (UPSTREAM_TRANSFORMER_URL). */
export class UpstreamClient {
  private readonly dispatcher: Dispatcher;
  private readonly origin: string;

  constructor(
    baseUrl: string,
    private readonly timeoutMs: number,
    dispatcher?: Dispatcher,
  ) {
    this.origin = baseUrl.replace(/\/+$/, '');
    this.dispatcher = dispatcher ?? new Agent({ keepAliveTimeout: 30_000, connections: 64 });
  }

  /** The request as received, answered as the upstream answers; throws when there is no answer. */
  async forward(req: UpstreamRequest): Promise<UpstreamResponse> {
    const method = req.method.toUpperCase() as Dispatcher.HttpMethod;
    const res = await request(`${this.origin}${req.path}`, {
      method,
      headers: keep(req.headers, REQUEST_DROP),
      body: method === 'GET' || method === 'HEAD' ? undefined : (req.body ?? undefined),
      dispatcher: this.dispatcher,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    const body = Buffer.from(await res.body.arrayBuffer());
    return { status: res.statusCode, headers: keep(res.headers, RESPONSE_DROP), body };
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
