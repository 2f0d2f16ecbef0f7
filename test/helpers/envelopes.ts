/** RudderStack request envelopes, shaped as docs/RUDDERSTACK.md describes them ("3. Processor transform", "4. Router transform and batch"). */

export function destination(id: string, config: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    ID: id,
    Name: `ometria ${id}`,
    DestinationDefinition: { ID: 'def-ometria', Name: 'OMETRIA', DisplayName: 'Ometria', Config: {} },
    Config: config,
    Enabled: true,
    WorkspaceID: 'ws-1',
    Transformations: null,
    IsProcessorEnabled: true,
    RevisionID: 'rev-1',
    hasDynamicConfig: false,
    ...extra,
  };
}

export function processorMetadata(jobId: number, destinationId = 'dest-1') {
  return {
    jobId,
    workspaceId: 'ws-1',
    messageId: `m-${jobId}`,
    sourceId: 'src-1',
    originalSourceId: '',
    sourceName: 'web',
    sourceType: 'Javascript',
    sourceCategory: '',
    destinationId,
    destinationName: 'ometria-dev',
    destinationType: 'OMETRIA',
  };
}

export function routerMetadata(jobId: number, destinationId = 'dest-1') {
  return {
    userId: `u-${jobId}`,
    jobId,
    sourceId: 'src-1',
    sourceCategory: '',
    destinationId,
    attemptNum: 0,
    receivedAt: '2024-03-01T12:34:56.789Z',
    createdAt: '2024-03-01T12:34:56.789Z',
    firstAttemptedAt: '',
    transformAt: 'router',
    workspaceId: 'ws-1',
    secret: null,
    workerAssignedTime: '2024-03-01T12:34:57.000Z',
    dontBatch: false,
    traceparent: '',
  };
}

export const BASE_FIELDS = {
  messageId: 'm-1',
  userId: 'u-1',
  anonymousId: 'anon-1',
  timestamp: '2024-03-01T12:34:56.789Z',
};

export function identifyMessage(n: number, traits: Record<string, unknown> = {}) {
  return {
    ...BASE_FIELDS,
    type: 'identify',
    messageId: `m-${n}`,
    userId: `u-${n}`,
    traits: { email: `u${n}@example.com`, listingId: `L${n}`, ...traits },
  };
}

export function customEventMessage(n: number, properties: Record<string, unknown> = {}) {
  return {
    ...BASE_FIELDS,
    type: 'track',
    event: 'Signed Up',
    messageId: `m-${n}`,
    userId: `u-${n}`,
    context: { traits: { email: `u${n}@example.com` } },
    properties: { plan: 'pro', ...properties },
  };
}

export function orderMessage(n: number, properties: Record<string, unknown> = {}) {
  return {
    ...BASE_FIELDS,
    type: 'track',
    event: 'Order Completed',
    messageId: `m-${n}`,
    userId: `u-${n}`,
    context: { traits: { email: `u${n}@example.com` } },
    properties: {
      order_id: `o-${n}`,
      grand_total: 10,
      currency: 'GBP',
      products: [{ product_id: 'p1', quantity: 1, unit_price: 10 }],
      ...properties,
    },
  };
}

/** A track without email: a 400 on every path. */
export function badMessage(n: number) {
  return { ...BASE_FIELDS, type: 'track', event: 'Signed Up', messageId: `m-${n}`, userId: `u-${n}`, properties: {} };
}

/** A router request of `messages`, one job each (jobIds 1…n), all for one destination with key `k`. */
export function routerBody(messages: unknown[]) {
  return {
    destType: 'ometria',
    input: messages.map((message, i) => ({ message, metadata: routerMetadata(i + 1), destination: destination('d', { apiKey: 'k' }) })),
  };
}
