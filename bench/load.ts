import autocannon from 'autocannon';
import { machineBusySeconds } from './machine.js';

/**
 * One autocannon run from this process. Each request's body comes from `body()` (a fresh one per
 * request), through autocannon's setupRequest. Latencies are kept at autocannon's own float
 * resolution (its percentiles round to whole milliseconds, too coarse for a 1.5× p99 budget).
 */
export interface LoadOptions {
  readonly url: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: () => Buffer;
  readonly seconds: number;
  readonly connections: number;
  readonly eventsPerRequest: number;
  /** The server's CPU seconds so far, to report how busy it was. */
  readonly serverCpuSeconds: () => number | undefined;
}

/** What runs add up to: sums, and every 2xx latency. */
export interface LoadTotals {
  readonly seconds: number;
  readonly wallSeconds: number;
  readonly responses: number;
  readonly events: number;
  /** Connection errors and timeouts (autocannon counts timeouts among errors), and non-2xx answers. */
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly latencies: Float64Array;
  readonly clientCpuSeconds: number;
  readonly serverCpuSeconds: number | undefined;
  readonly machineCpuSeconds: number | undefined;
}

export interface LoadResult extends LoadTotals {
  readonly eventsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** CPU used by this process (the load generator), the server and everything else, in cores (1 = one core). */
  readonly clientCores: number;
  readonly serverCores: number | undefined;
  readonly otherCores: number | undefined;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summarize(totals: LoadTotals): LoadResult {
  const { wallSeconds, serverCpuSeconds, machineCpuSeconds } = totals;
  const clientCores = totals.clientCpuSeconds / wallSeconds;
  const serverCores = serverCpuSeconds === undefined ? undefined : serverCpuSeconds / wallSeconds;
  return {
    ...totals,
    eventsPerSecond: totals.events / totals.seconds,
    p50: percentile(totals.latencies, 50),
    p99: percentile(totals.latencies, 99),
    clientCores,
    serverCores,
    otherCores:
      machineCpuSeconds === undefined || serverCores === undefined ? undefined : Math.max(0, machineCpuSeconds / wallSeconds - clientCores - serverCores),
  };
}

const sumOrUndefined = (values: (number | undefined)[]) => (values.some((v) => v === undefined) ? undefined : values.reduce<number>((a, b) => a + b!, 0));

/** Several runs of one server as one: throughput over their total time, percentiles over all latencies. */
export function combineLoads(runs: readonly LoadResult[]): LoadResult {
  const sum = (pick: (r: LoadResult) => number) => runs.reduce((n, r) => n + pick(r), 0);
  const latencies = new Float64Array(sum((r) => r.latencies.length));
  let at = 0;
  for (const run of runs) {
    latencies.set(run.latencies, at);
    at += run.latencies.length;
  }
  return summarize({
    seconds: sum((r) => r.seconds),
    wallSeconds: sum((r) => r.wallSeconds),
    responses: sum((r) => r.responses),
    events: sum((r) => r.events),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    non2xx: sum((r) => r.non2xx),
    latencies: latencies.sort(),
    clientCpuSeconds: sum((r) => r.clientCpuSeconds),
    serverCpuSeconds: sumOrUndefined(runs.map((r) => r.serverCpuSeconds)),
    machineCpuSeconds: sumOrUndefined(runs.map((r) => r.machineCpuSeconds)),
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const cpuStart = process.cpuUsage();
  const serverStart = options.serverCpuSeconds();
  const machineStart = machineBusySeconds();
  const wallStart = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        requests: [
          {
            method: 'POST',
            path: options.path,
            headers: { 'content-type': 'application/json; charset=utf-8', ...options.headers },
            setupRequest: (request) => {
              request.body = options.body();
              return request;
            },
          },
        ],
      },
      (error: unknown, done) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, milliseconds) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(milliseconds);
    });
  });
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const serverEnd = options.serverCpuSeconds();
  const machineEnd = machineBusySeconds();
  return summarize({
    seconds: result.duration,
    wallSeconds,
    responses: result['2xx'],
    events: result['2xx'] * options.eventsPerRequest,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    latencies: Float64Array.from(latencies).sort(),
    clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
    serverCpuSeconds: serverStart === undefined || serverEnd === undefined ? undefined : serverEnd - serverStart,
    machineCpuSeconds: machineStart === undefined || machineEnd === undefined ? undefined : machineEnd - machineStart,
  });
}
