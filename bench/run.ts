/**
 * npm run bench: router-transform throughput of the service against an echo baseline measured in
 * the same run (a bare Fastify server doing the least any transformer must do), so `ratio` means
 * the same on any machine. Extra lines: the service on a small warm pool of repeated bodies, the
 * old static echo, and the ceiling (the service's stack with a free transform). Not a test: it
 * prints numbers and budgets, and exits 1 when a budget is not met (2 when it cannot measure).
 *
 *   BENCH_DURATION (s per server, default 10)  BENCH_WARMUP (s, default 3)  BENCH_CONNECTIONS (default 10)
 *   BENCH_ROUNDS (default 5): the timed seconds are taken in this many turns, servers interleaved
 *   BENCH_ONLY=echo,service,warm,static,ceiling  BENCH_VARIANTS=compacted,plain
 *   BENCH_PROFILE=<dir>: the service runs with --cpu-prof, written there when it exits
 *   BENCH_DELIVERY=0: skip the delivery run (the v1 proxy against direct-style sending, bench/delivery.ts)
 */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nextBody } from './body.js';
import { measureDelivery } from './delivery.js';
import { judge, verdictLines } from './budgets.js';
import { startServer, type ChildServer } from './child-server.js';
import { combineLoads, runLoad, type LoadOptions, type LoadResult } from './load.js';
import { machineLine } from './machine.js';
import { preflight } from './preflight.js';
import { resultsTable, SERVER_LABELS, type RunLine, type ServerName } from './results.js';
import { runNotes } from './run-notes.js';
import { buildTemplates, EVENTS_PER_REQUEST, VARIANTS, type Template, type Variant } from './templates.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PROFILE = process.env.BENCH_PROFILE === undefined || process.env.BENCH_PROFILE === '' ? undefined : resolve(process.env.BENCH_PROFILE);
const SERVERS: readonly ServerName[] = ['echo', 'service', 'warm', 'static', 'ceiling'];

function listEnv<T extends string>(name: string, all: readonly T[]): readonly T[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return all;
  const picked = raw.split(',').map((s) => s.trim()) as T[];
  const unknown = picked.filter((p) => !all.includes(p));
  if (unknown.length > 0) throw new Error(`${name}: unknown ${unknown.join(', ')} (one or more of ${all.join(', ')})`);
  return all.filter((a) => picked.includes(a));
}

const script = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const SCRIPTS: Readonly<Record<ServerName, string>> = {
  echo: script('./echo-server.js'),
  service: script('../src/process/server.js'),
  warm: script('../src/process/server.js'),
  static: script('./static-echo-server.js'),
  ceiling: script('./floor-server.js'),
};

const headersOf = (variant: Variant): Record<string, string> => (variant === 'compacted' ? { 'x-content-format': 'json+compactedv1' } : {});

/** 64 bodies with fixed counters, cycled: the service as it would look if requests repeated. */
function warmPool(templates: readonly Template[]): () => Buffer {
  const pool = templates.map(() => nextBody(templates, 'compacted'));
  let i = 0;
  return () => pool[i++ % pool.length]!;
}

/**
 * The lines of one variant. Every server is a fresh process, warmed up, then loaded in turns of
 * DURATION / ROUNDS seconds (echo, service, …, echo, service, …): a shared machine's speed
 * drifts by tens of percent over minutes, and interleaving makes every server see the same drift.
 */
async function measureVariant(
  servers: readonly ServerName[],
  variant: Variant,
  templates: readonly Template[],
  answerBytes: Readonly<Record<Variant, number>>,
): Promise<RunLine[]> {
  const children: { server: ServerName; child: ChildServer; options: Omit<LoadOptions, 'seconds'> }[] = [];
  try {
    for (const server of servers) {
      const profiled = PROFILE !== undefined && (server === 'service' || server === 'warm');
      const child = await startServer(SCRIPTS[server], {
        env: server === 'static' ? { RESPONSE_BYTES: String(answerBytes[variant]) } : {},
        nodeArgs: profiled ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [],
      });
      const options = {
        url: child.url,
        path: server === 'ceiling' ? '/floor' : '/routerTransform',
        headers: headersOf(variant),
        body: server === 'warm' ? warmPool(templates) : () => nextBody(templates, variant),
        connections: CONNECTIONS,
        eventsPerRequest: EVENTS_PER_REQUEST,
        serverCpuSeconds: () => child.cpuSeconds(),
      };
      children.push({ server, child, options });
    }
    if (WARMUP > 0) for (const { options } of children) await runLoad({ ...options, seconds: WARMUP });
    const rounds = new Map<ServerName, LoadResult[]>(servers.map((s) => [s, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const { server, options } of children) rounds.get(server)!.push(await runLoad({ ...options, seconds: DURATION / ROUNDS }));
    }
    const lines: RunLine[] = [];
    for (const { server, child } of children) {
      const runs = rounds.get(server)!;
      const load = combineLoads(runs);
      const peakRssMiB = child.peakRssMiB();
      const exit = await child.stop();
      process.stderr.write(`… ${SERVER_LABELS[server]}, ${variant}: ${Math.round(load.eventsPerSecond).toLocaleString('en-GB')} events/s, ${exit}\n`);
      lines.push({ server, variant, load, rounds: runs.map((r) => r.eventsPerSecond), peakRssMiB, exit });
    }
    return lines;
  } finally {
    for (const { child } of children) await child.stop();
  }
}

async function main(): Promise<void> {
  const only = listEnv('BENCH_ONLY', SERVERS);
  const variants = listEnv('BENCH_VARIANTS', VARIANTS);
  console.log(machineLine());
  console.log(
    `load: autocannon in the bench process, ${CONNECTIONS} connections; per variant every server a fresh process, ${WARMUP} s warm-up each, ` +
      `then ${DURATION} s each in ${ROUNDS} interleaved turns of ${(DURATION / ROUNDS).toFixed(1)} s`,
  );
  const templates = buildTemplates();
  const { answerBytes, capacity } = await preflight(templates, SCRIPTS.service, headersOf('compacted'));
  console.log('');

  const profiles = () => (PROFILE !== undefined && existsSync(PROFILE) ? readdirSync(PROFILE).filter((f) => f.endsWith('.cpuprofile')) : []);
  const profilesBefore = profiles();
  const lines: RunLine[] = [];
  for (const variant of variants) {
    lines.push(...(await measureVariant(only.filter((s) => s !== 'warm' || variant === 'compacted'), variant, templates, answerBytes)));
  }

  console.log(resultsTable(lines));
  console.log('');
  for (const note of runNotes(lines, capacity)) console.log(note);
  if (PROFILE !== undefined) console.log(`CPU profiles written to ${PROFILE}: ${profiles().filter((f) => !profilesBefore.includes(f)).join(', ') || 'none'}`);

  const verdicts = judge(lines);
  if (process.env.BENCH_DELIVERY !== '0') {
    const delivery = measureDelivery();
    console.log(`\ndelivery (test/delivery/proxy-under-load.test.ts): ${delivery.line}`);
    // The proxy tells rejected records apart, which costs re-pushes at Ometria's rate: it may be slower, not by more than half.
    verdicts.push({
      budget: 'delivery: proxy events/s ≥ direct-style events/s ÷ 1.5',
      measured: `${delivery.proxy} vs ${delivery.direct} events/s (${(delivery.proxy / delivery.direct).toFixed(2)} × direct-style)`,
      met: delivery.proxy * 1.5 >= delivery.direct,
    });
  }
  console.log(`\nbudgets:\n${verdictLines(verdicts)}`);
  const failed = verdicts.filter((v) => v.met === false).length;
  console.log(failed === 0 ? 'all budgets that were measured are MET' : `${failed} budget(s) NOT MET`);
  process.exitCode = failed === 0 ? 0 : 1;
}

try {
  await main();
} catch (error) {
  // Servers were stopped on the way out; what is left to say is why nothing was measured.
  console.error(`bench aborted: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
