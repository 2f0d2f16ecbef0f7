/** rudder-server's delivery proxy request, built from a router item (docs/RUDDERSTACK.md, "10. Delivery proxy"). */
import type { FastifyInstance } from 'fastify';

type Json = Record<string, any>;

/** The per-job metadata rudder-server sends to the proxy, picked from a router job's metadata. */
export function proxyMetadata(m: Json): Json {
  return {
    jobId: m.jobId,
    attemptNum: m.attemptNum,
    userId: m.userId,
    sourceId: m.sourceId,
    destinationId: m.destinationId,
    workspaceId: m.workspaceId,
    secret: m.secret,
    dontBatch: m.dontBatch,
  };
}

/**
 * What rudder-server POSTs to `/v{version}/destinations/ometria/proxy` for one stored router item
 * (a batch): its `batchedRequest`, and the metadata of every job on v1, of the first job on v0.
 * `destinationConfig` is the item's (resolved) destination Config unless given.
 */
export function proxyRequestBody(item: Json, version: 0 | 1, destinationConfig: unknown = item.destination.Config): Json {
  const request = item.batchedRequest as Json;
  const metadata = (item.metadata as Json[]).map(proxyMetadata);
  return {
    type: 'REST',
    endpoint: request.endpoint,
    method: 'POST',
    userId: '',
    headers: request.headers,
    params: {},
    body: request.body,
    files: {},
    metadata: version === 1 ? metadata : metadata[0],
    destinationConfig,
  };
}

/** POSTs `body` to the v0 or v1 proxy route as rudder-server does (with its proxy timeout header). */
export async function postProxy(app: FastifyInstance, version: 0 | 1, body: Json) {
  const res = await app.inject({
    method: 'POST',
    url: `/v${version}/destinations/ometria/proxy`,
    headers: { 'content-type': 'application/json', 'rdproxy-timeout': '10000' },
    payload: body,
  });
  return { status: res.statusCode, apiVersion: res.headers.apiversion, body: res.json() as Json };
}
