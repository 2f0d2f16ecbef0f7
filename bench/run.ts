/**
 * npm run bench: router-transform throughput of the service against an echo baseline in the same
 * run, so `ratio` means the same on any machine, and the ceiling any transform could reach (the
 * service's stack with a free transform). Not a test: it prints numbers and budgets.
 *
 *   BENCH_DURATION (s, default 10)  BENCH_CONNECTIONS (default 8)  BENCH_WARMUP (s, default 3)
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { compactedRouterBody, routerBody } from './body.js';
import { freePort } from './free-port.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const EVENTS = 100;
const SERVICE = fileURLToPath(new URL('../src/server.js', import.meta.url));
const ECHO = fileURLToPath(new URL('./echo-server.js', import.meta.url));
const FLOOR = fileURLToPath(new URL('./floor-server.js', import.meta.url));

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
}

async function start(script: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) return { child, url };
    } catch {
      // starting
    }
    await sleep(50);
  }
  throw new Error(`${script} did not start`);
}

/** Peak resident set of a process (Linux VmHWM), in MiB. */
function peakRssMiB(pid: number | undefined): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

interface LoadResult {
  readonly eventsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly failures: number;
}

async function load(url: string, body: string, headers: Record<string, string>, seconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body,
    connections: CONNECTIONS,
    duration: seconds,
  });
  return {
    eventsPerSecond: result.requests.average * EVENTS,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

/** The service's answer must be all batches (no per-event errors): we measure the success path. */
async function check(url: string, body: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`${url}/routerTransform`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  const { output } = JSON.parse(text) as { output: { statusCode: number; metadata: unknown[] }[] };
  const ok = output.filter((o) => o.statusCode === 200).reduce((n, o) => n + o.metadata.length, 0);
  if (res.status !== 200 || ok !== EVENTS) throw new Error(`expected ${EVENTS} transformed events, got ${ok} (HTTP ${res.status})`);
  return Buffer.byteLength(text);
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const variants: { name: string; body: string; headers: Record<string, string> }[] = [
    { name: 'plain', body: routerBody(EVENTS), headers: {} },
    { name: 'compacted', body: compactedRouterBody(EVENTS), headers: { 'x-content-format': 'json+compactedv1' } },
  ];
  const service = await start(SERVICE, {});
  const responseBytes = await check(service.url, variants[0]!.body, {});
  for (const v of variants.slice(1)) await check(service.url, v.body, v.headers);
  const echo = await start(ECHO, { RESPONSE_BYTES: String(responseBytes) });
  const floor = await start(FLOOR, { BENCH_EVENTS: String(EVENTS) });
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`machine: ${cpus().length} × ${cpu}, ${fmt(totalmem() / 2 ** 30, 1)} GiB, node ${process.version}`);
  console.log(`body: ${EVENTS} events, ${fmt(Buffer.byteLength(variants[0]!.body) / 1024, 1)} KiB plain / ${fmt(Buffer.byteLength(variants[1]!.body) / 1024, 1)} KiB compacted; response ${fmt(responseBytes / 1024, 1)} KiB`);
  console.log(`load: ${CONNECTIONS} connections, ${DURATION} s per run after ${WARMUP} s warm-up\n`);

  const rows: string[] = [];
  const ceilings: string[] = [];
  let budgetsMet = true;
  const targets = {
    echo: `${echo.url}/routerTransform`,
    ours: `${service.url}/routerTransform`,
    floor: `${floor.url}/floor`,
  };
  for (const v of variants) {
    for (const url of Object.values(targets)) await load(url, v.body, v.headers, WARMUP);
    const base = await load(targets.echo, v.body, v.headers, DURATION);
    const ours = await load(targets.ours, v.body, v.headers, DURATION);
    const free = await load(targets.floor, v.body, v.headers, DURATION);
    const ratio = ours.eventsPerSecond / base.eventsPerSecond;
    const p99Ratio = ours.p99 / Math.max(base.p99, 1);
    const ok = ratio >= 0.8 && p99Ratio <= 1.5 && ours.failures === 0;
    budgetsMet &&= ok;
    rows.push(
      `| ${v.name} | ${fmt(ours.eventsPerSecond)} | ${fmt(base.eventsPerSecond)} | **${fmt(ratio, 2)}** | ${ours.p50} / ${ours.p99} | ${base.p50} / ${base.p99} | ${fmt(p99Ratio, 2)} | ${ours.failures} |`,
    );
    ceilings.push(
      `| ${v.name} | ${fmt(free.eventsPerSecond)} | **${fmt(free.eventsPerSecond / base.eventsPerSecond, 2)}** | ${free.p50} / ${free.p99} | ${fmt(free.p99 / Math.max(base.p99, 1), 2)} | ${free.failures} |`,
    );
  }
  const peak = peakRssMiB(service.child.pid);
  budgetsMet &&= peak !== undefined && peak < 150;
  console.log('| variant | events/s | echo events/s | ratio | p50 / p99 ms | echo p50 / p99 ms | p99 ÷ echo p99 | failures |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log('\nceiling: the same service stack with a transform that costs nothing (bench/floor-server.ts)\n');
  console.log('| variant | events/s | ratio | p50 / p99 ms | p99 ÷ echo p99 | failures |');
  console.log('|---|---|---|---|---|---|');
  for (const row of ceilings) console.log(row);
  console.log(`\npeak RSS of the service: ${peak === undefined ? 'unknown' : `${fmt(peak, 1)} MiB`}`);
  console.log(`budgets (ratio ≥ 0.80, p99 ≤ 1.5 × echo, peak RSS < 150 MiB, no failures): ${budgetsMet ? 'MET' : 'NOT MET'}`);
  service.child.kill('SIGTERM');
  echo.child.kill('SIGTERM');
  floor.child.kill('SIGTERM');
  process.exitCode = budgetsMet ? 0 : 1;
}

await main();
