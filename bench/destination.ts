/** The destination and router metadata of every bench event, shaped as rudder-server sends them. */
export const DESTINATION = {
  ID: 'dest-bench',
  Name: 'ometria-bench',
  DestinationDefinition: { ID: 'def-ometria', Name: 'OMETRIA', DisplayName: 'Ometria', Config: {} },
  Config: { apiKey: 'bench-api-key', marketingOptin: 'NOT_SPECIFIED', allowMarketing: false, allowTransactional: false },
  Enabled: true,
  WorkspaceID: 'ws-bench',
  Transformations: null,
  IsProcessorEnabled: true,
  RevisionID: 'rev-bench',
  hasDynamicConfig: false,
};

export const SOURCE_ID = 'src-bench';

/** The `connections` of a compacted request. */
export const CONNECTIONS = {
  [`${SOURCE_ID}:${DESTINATION.ID}`]: { sourceId: SOURCE_ID, destinationId: DESTINATION.ID, enabled: true, config: {} },
};

/** Router metadata; `jobId` is a placeholder the template turns into a number with the counter. */
export function routerMetadata(jobId: string, userId: string, receivedAt: string): Record<string, unknown> {
  return {
    userId,
    jobId,
    sourceId: SOURCE_ID,
    sourceCategory: '',
    destinationId: DESTINATION.ID,
    attemptNum: 0,
    receivedAt,
    createdAt: receivedAt,
    firstAttemptedAt: '',
    transformAt: 'router',
    workspaceId: DESTINATION.WorkspaceID,
    secret: null,
    workerAssignedTime: receivedAt,
    dontBatch: false,
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  };
}
