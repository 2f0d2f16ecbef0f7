import type { ProxyRequest, ProxyV0Response, ProxyV1Response } from '../../../schemas/rudder/proxy.js';
import type { HttpResult } from '../delivery-client.js';
import type { DeliveryVerdict, DestinationDefinition } from '../destination.js';
import { statTags } from '../errors.js';
import { isPlainObject } from '../plain-object.js';
import type { ProxySent } from './proxy-send.js';

// RudderStack's proxy answers (docs/RUDDERSTACK.md, "Delivery proxy"): what was sent, in the v0 and v1 shapes.

export interface ProxyAnswer<B> {
  readonly httpStatus: number;
  readonly body: B;
}

const NETWORK_ERROR_TYPES: Partial<Record<DeliveryVerdict['category'], string>> = {
  retryable: 'retryable',
  throttled: 'throttled',
  rejected: 'aborted',
  auth: 'aborted',
  aborted: 'aborted',
};

function parsedBody(result: HttpResult | undefined, verdict: DeliveryVerdict): unknown {
  if (result === undefined) return verdict.answer ?? verdict.message;
  if (result.kind === 'transport') return verdict.message;
  try {
    return JSON.parse(result.body);
  } catch {
    return result.body;
  }
}

function failureTags(def: DestinationDefinition, metadata: unknown, verdict: DeliveryVerdict): Record<string, string> | undefined {
  if (verdict.delivered) return undefined;
  const first = isPlainObject(metadata) ? metadata : {};
  return statTags(
    { errorCategory: 'network', errorType: NETWORK_ERROR_TYPES[verdict.category] ?? 'aborted' },
    { destType: def.name, feature: 'dataDelivery', destinationId: first.destinationId, workspaceId: first.workspaceId },
  );
}

/** v0: the HTTP status is the outcome every job gets (2xx → 200, 404 → 400). */
export function v0Answer(def: DestinationDefinition, req: ProxyRequest, { verdict, result }: ProxySent): ProxyAnswer<ProxyV0Response> {
  const raw = result?.kind === 'response' ? result.status : verdict.status;
  const destinationResponse: ProxyV0Response['output']['destinationResponse'] = { response: parsedBody(result, verdict), status: raw };
  if (result?.kind === 'response') destinationResponse.headers = { ...result.headers };
  const output: ProxyV0Response['output'] = {
    status: verdict.delivered ? raw : verdict.status,
    message: verdict.message,
    destinationResponse,
  };
  const tags = failureTags(def, req.metadata, verdict);
  if (tags !== undefined) output.statTags = tags;
  const status = verdict.delivered ? 200 : verdict.status === 404 ? 400 : verdict.status;
  return { httpStatus: status, body: { output } };
}

/**
 * v1: HTTP 200 with one response entry per job: the push's status for all, or each job's own when
 * its records were told apart (its `error` is then what became of its record).
 */
export function v1Answer(def: DestinationDefinition, req: ProxyRequest, { verdict, result, sent, perJob, judged }: ProxySent): ProxyAnswer<ProxyV1Response> {
  const jobs = Array.isArray(req.metadata) ? (req.metadata as unknown[]) : [req.metadata];
  const error = JSON.stringify(judged === true ? verdict.message : parsedBody(result, verdict)) ?? '""';
  const output: ProxyV1Response['output'] = {
    status: verdict.status,
    message: verdict.message,
    response: jobs.map((metadata, i) => {
      const own = perJob?.[i];
      return own === undefined ? { error, statusCode: verdict.status, metadata } : { error: JSON.stringify(own.message), statusCode: own.status, metadata };
    }),
  };
  const tags = failureTags(def, jobs[0], verdict);
  if (tags !== undefined) output.statTags = tags;
  return { httpStatus: sent ? 200 : 400, body: { output } };
}
