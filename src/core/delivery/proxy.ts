import type { ProxyRequest, ProxyV0Response, ProxyV1Response } from '../../../schemas/rudder/proxy.js';
import type { DestinationDefinition } from '../destination.js';
import type { PipelineHooks } from '../transform/pipeline.js';
import { logUndelivered } from './delivery.js';
import { v0Answer, v1Answer, type ProxyAnswer } from './proxy-answers.js';
import { proxySend, type ProxyDeps } from './proxy-send.js';

/** RudderStack's own timeout for the proxy call (ms, the `RdProxy-Timeout` header); we stop a little before it. */
export function proxyBudgetMs(header: string | string[] | undefined): number | undefined {
  const value = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(value) && value > 0 ? Math.max(500, value - 500) : undefined;
}

type ProxyAnswerOf<V extends 0 | 1> = V extends 0 ? ProxyAnswer<ProxyV0Response> : ProxyAnswer<ProxyV1Response>;

/**
 * One proxy call, as the routes serve it: sends the stored request within RudderStack's budget,
 * answers in the version's shape, and counts and logs every job as /deliver does its events. v1
 * answers per job, so rejected records are told apart; v0's one HTTP status covers every job.
 */
export async function runProxy<V extends 0 | 1>(
  def: DestinationDefinition,
  version: V,
  req: ProxyRequest,
  rdProxyTimeout: string | string[] | undefined,
  deps: ProxyDeps,
  hooks: PipelineHooks,
): Promise<ProxyAnswerOf<V>> {
  const deadlineMs = proxyBudgetMs(rdProxyTimeout);
  const sent = await proxySend(def, req, deps, { isolate: version === 1, hooks, ...(deadlineMs === undefined ? {} : { deadlineMs }) });
  const jobs = Array.isArray(req.metadata) ? (req.metadata as unknown[]) : [req.metadata];
  jobs.forEach((metadata, i) => {
    const job = sent.perJob?.[i] ?? sent.verdict;
    hooks.onDelivered?.(def, job.status, job.category);
    if (!job.delivered) logUndelivered(hooks.log, metadata, job);
  });
  return (version === 0 ? v0Answer(def, req, sent) : v1Answer(def, req, sent)) as ProxyAnswerOf<V>;
}
