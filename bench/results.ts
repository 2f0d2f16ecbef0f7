import type { LoadResult } from './load.js';
import type { Variant } from './templates.js';

/** One timed run: a server, a body variant, what the load generator saw and the server's peak RSS. */
export type ServerName = 'echo' | 'service' | 'warm' | 'static' | 'ceiling';

export const SERVER_LABELS: Readonly<Record<ServerName, string>> = {
  echo: 'echo (baseline)',
  service: 'service',
  warm: 'service, warm pool',
  static: 'static echo',
  ceiling: 'ceiling (free transform)',
};

export const SERVER_LEGENDS: Readonly<Record<ServerName, string>> = {
  echo: "a bare Fastify with the service's JSON parser: one small record per event, one batch answer of the service's shape (bench/echo-app.ts).",
  service: 'the service (dist/src/process/server.js), default settings (LOG_LEVEL info), a fresh body per request.',
  warm: 'the service on 64 bodies with fixed counters, cycled: a cache of anything per value would show here, not on fresh bodies.',
  static: "the same parser, a precomputed answer of the service's mean answer size (bench/static-echo-server.ts): reading and HTTP only.",
  ceiling: "the service's stack answering its own answer per template, precomputed (bench/floor-app.ts): the most any transform could reach.",
};

export interface RunLine {
  readonly server: ServerName;
  readonly variant: Variant;
  /** All its rounds as one. */
  readonly load: LoadResult;
  /** Events/s in each round, in order (the echo's round i ran just before this one's). */
  readonly rounds: readonly number[];
  readonly peakRssMiB: number | undefined;
  readonly exit: string;
}

export const failuresOf = (line: RunLine): number => line.load.errors + line.load.non2xx;

const num = (n: number | undefined, digits = 0) =>
  n === undefined || Number.isNaN(n) ? 'n/a' : n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The results as a Markdown table, ratios against the echo of the same variant. */
export function resultsTable(lines: readonly RunLine[]): string {
  const echo = (variant: Variant) => lines.find((l) => l.server === 'echo' && l.variant === variant);
  const rows = lines.map((line) => {
    const base = echo(line.variant);
    const ratio = base === undefined ? undefined : line.load.eventsPerSecond / base.load.eventsPerSecond;
    // Round by round against the echo's round just before: how much the machine drifted.
    const perRound = base === undefined ? [] : line.rounds.flatMap((r, i) => (base.rounds[i] === undefined ? [] : [r / base.rounds[i]!]));
    const spread = perRound.length === 0 ? 'n/a' : `${num(Math.min(...perRound), 2)}–${num(Math.max(...perRound), 2)}`;
    const { load } = line;
    const failures = failuresOf(line) === 0 ? '0' : `${failuresOf(line)} (${load.errors} errors incl. ${load.timeouts} timeouts, ${load.non2xx} non-2xx)`;
    return `| ${SERVER_LABELS[line.server]} | ${line.variant} | ${num(load.eventsPerSecond)} | ${num(ratio, 2)} | ${spread} | ${num(load.p50, 2)} | ${num(load.p99, 2)} | ${num(line.peakRssMiB, 1)} | ${num(load.clientCores, 2)} | ${num(load.serverCores, 2)} | ${num(load.otherCores, 2)} | ${failures} |`;
  });
  return [
    '| server | variant | events/s | ratio vs echo | ratio per round | p50 ms | p99 ms | peak RSS MiB | CPU: client | server | others | failures |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
