/** rudder-server's delivery proxy request, built from a router item (docs/RUDDERSTACK.md, "10. Delivery proxy"). */

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
