import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';

/** A server under test in its own process, started fresh, so its peak RSS and CPU are its own. */
export interface ChildServer {
  readonly pid: number;
  readonly url: string;
  /** Peak resident set over the process's life so far (Linux VmHWM), in MiB. */
  peakRssMiB(): number | undefined;
  /** CPU time of the process so far (all threads, user + system), in seconds. */
  cpuSeconds(): number | undefined;
  /** SIGTERM, then how it ended ("exit 0" when it closed cleanly). */
  stop(): Promise<string>;
}

// /proc/<pid>/stat counts in clock ticks: 100 per second on Linux.
const TICKS_PER_SECOND = 100;

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

export async function startServer(script: string, options: { env?: Record<string, string>; nodeArgs?: readonly string[] } = {}): Promise<ChildServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
    env: { ...process.env, ...options.env, PORT: String(port), HOST: '127.0.0.1' },
    // The service's request log goes nowhere: reading it would cost the load generator.
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal === null ? `exit ${code}` : `signal ${signal}`)));
  let ended: string | undefined;
  void exited.then((how) => (ended = how));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${script} did not start`);
  const url = `http://127.0.0.1:${port}`;
  const server: ChildServer = {
    pid,
    url,
    peakRssMiB() {
      const kb = /VmHWM:\s+(\d+) kB/.exec(readProc(pid, 'status') ?? '')?.[1];
      return kb === undefined ? undefined : Number(kb) / 1024;
    },
    cpuSeconds() {
      // Fields after "pid (comm) ": state is the 3rd; utime and stime are the 14th and 15th.
      const stat = readProc(pid, 'stat');
      if (stat === undefined) return undefined;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    },
    async stop() {
      if (ended !== undefined) return ended;
      child.kill('SIGTERM');
      const how = await Promise.race([exited, sleep(20_000).then(() => undefined)]);
      if (how !== undefined) return how;
      child.kill('SIGKILL');
      return `${await exited} (no exit 20 s after SIGTERM)`;
    },
  };
  for (let i = 0; i < 600; i++) {
    if (ended !== undefined) throw new Error(`${script} ended before serving (${ended})`);
    try {
      if ((await fetch(`${url}/health`)).ok) return server;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  await server.stop();
  throw new Error(`${script} did not answer /health within 30 s`);
}
