import cluster, { type Worker } from 'node:cluster';
import { pino } from 'pino';
import { loggerOptions } from '../app/logger.js';
import type { AppConfig } from '../config.js';
import { serveClusterMetrics } from '../observability/cluster-metrics.js';
import { RETIRE } from './retire.js';

// A worker dying this soon after it started is probably broken, not unlucky: slow the restarts.
const QUICK_DEATH_MS = 5000;
// A replacement that does not listen within this long is taken for broken: the restart stops.
// Generous: a worker starting beside busy ones on few cores takes many times its usual second.
const START_TIMEOUT_MS = 120_000;
// How much longer than a worker's own limit the primary waits before it kills the worker.
const BACKSTOP_MS = 2000;

/**
 * `serving`: counted, restarted when it dies. `starting`: a replacement in a rolling restart, not
 * yet listening. `retiring`: replaced, draining; neither signalled again nor restarted.
 */
type Role = 'serving' | 'starting' | 'retiring';

/** Resolves true once `worker` listens; false when it exits first or takes longer than `ms`. */
function listens(worker: Worker, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (listening: boolean) => {
      clearTimeout(timer);
      worker.off('listening', onListening);
      worker.off('exit', onExit);
      resolve(listening);
    };
    const onListening = () => done(true);
    const onExit = () => done(false);
    const timer = setTimeout(() => {
      worker.process.kill('SIGKILL');
      done(false);
    }, ms);
    worker.once('listening', onListening);
    worker.once('exit', onExit);
  });
}

/**
 * The primary of WORKERS processes sharing one port (node's cluster module): it serves no
 * requests, restarts workers that die, aggregates their metrics, and passes SIGTERM/SIGINT on so
 * every worker drains before the primary exits.
 *
 * SIGHUP replaces the workers one at a time (each new one runs the code on disk now): a new
 * worker is forked and, once it listens, one old worker is told to retire (it drains and exits);
 * then the next. The port is served throughout, by at least WORKERS processes. A SIGHUP during a
 * restart asks for one more once it is over. A replacement that exits or does not listen stops
 * the restart, and the old workers keep serving.
 */
export function runPrimary(config: AppConfig, count: number): void {
  const log = pino(loggerOptions(config, process.stdout.isTTY));
  let stopping = false;
  let restartDelay = 0;
  const workers = new Map<Worker, { started: number; role: Role; listening: boolean }>();
  const fork = (role: Role = 'serving') => {
    const worker = cluster.fork();
    workers.set(worker, { started: Date.now(), role, listening: false });
    return worker;
  };
  // The serving worker whose replacement is starting: should it die, the replacement takes its place.
  let replacing: Worker | undefined;
  const pids = (role: Role) => [...workers].filter(([, state]) => state.role === role).map(([worker]) => worker.process.pid);

  serveClusterMetrics();
  for (let i = 0; i < count; i++) fork();

  cluster.on('listening', (worker) => {
    const state = workers.get(worker);
    if (state !== undefined) state.listening = true;
  });
  cluster.on('exit', (worker, code, signal) => {
    const state = workers.get(worker);
    workers.delete(worker);
    if (stopping) {
      if (workers.size === 0) process.exit(0);
      return;
    }
    // A retired worker is done; a replacement that did not start is the restart's to report.
    if (state?.role !== 'serving') return;
    if (worker === replacing) {
      log.error({ pid: worker.process.pid, code, signal }, 'worker died while its replacement was starting');
      return;
    }
    const lived = Date.now() - state.started;
    restartDelay = lived < QUICK_DEATH_MS ? Math.min(30_000, Math.max(500, restartDelay * 2)) : 0;
    log.error({ pid: worker.process.pid, code, signal, restartInMs: restartDelay }, 'worker died; restarting');
    setTimeout(() => {
      if (!stopping) fork();
    }, restartDelay);
  });

  /** Tells a replaced worker to drain; resolves once it has exited (killed if it overstays). */
  const retire = async (worker: Worker): Promise<void> => {
    const state = workers.get(worker);
    if (state === undefined) return;
    state.role = 'retiring';
    // One still starting (a SIGHUP right after a start) listens for its retire message only then.
    if (!state.listening && !(await listens(worker, START_TIMEOUT_MS))) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const backstop = setTimeout(() => worker.process.kill('SIGKILL'), config.SHUTDOWN_GRACE_MS + BACKSTOP_MS);
    // With a callback, a worker already gone is an error here, not an 'error' event.
    worker.send(RETIRE, () => undefined);
    await exited.finally(() => clearTimeout(backstop));
  };

  /** One replacement per serving worker, in turn; false when a replacement did not start. */
  const replaceAll = async (): Promise<boolean> => {
    const old = [...workers].filter(([, state]) => state.role === 'serving').map(([worker]) => worker);
    log.info({ signal: 'SIGHUP', workers: old.length }, 'restarting workers one at a time');
    for (const previous of old) {
      if (stopping) return true;
      // One that died meanwhile was replaced by the usual restart.
      if (!workers.has(previous)) continue;
      replacing = previous;
      const next = fork('starting');
      const started = await listens(next, START_TIMEOUT_MS);
      replacing = undefined;
      const lost = !workers.has(previous);
      if (stopping) return true;
      const state = workers.get(next);
      if (!started || state === undefined) {
        log.error({ pid: next.process.pid }, 'restart stopped: a new worker exited or did not listen; the others keep serving');
        workers.delete(next);
        if (lost) fork();
        return false;
      }
      state.role = 'serving';
      if (lost) continue;
      await retire(previous);
      log.info({ pid: previous.process.pid, replacedBy: next.process.pid }, 'worker replaced');
    }
    return true;
  };

  let restarting = false;
  let again = false;
  process.on('SIGHUP', () => {
    if (stopping) return;
    if (restarting) {
      again = true;
      log.info({ signal: 'SIGHUP' }, 'a restart is running; another follows it');
      return;
    }
    restarting = true;
    void (async () => {
      let completed = true;
      do {
        again = false;
        completed = await replaceAll();
      } while (completed && again && !stopping);
      restarting = false;
      if (completed && !stopping) log.info({ pids: pids('serving') }, 'workers restarted');
    })();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, workers: workers.size }, 'stopping workers');
    if (workers.size === 0) process.exit(0);
    // Retiring workers are draining already: a second signal would make them exit at once.
    for (const [worker, state] of workers) if (state.role !== 'retiring') worker.process.kill(signal);
    // Workers exit by themselves after their drain delay and grace period; this is the backstop.
    setTimeout(() => process.exit(1), config.SHUTDOWN_DELAY_MS + config.SHUTDOWN_GRACE_MS + BACKSTOP_MS).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
