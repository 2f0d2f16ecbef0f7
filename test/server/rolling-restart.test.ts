import t from 'tap';
import { Pool } from 'undici';
import { destination, identifyMessage, routerMetadata } from '../helpers/envelopes.js';
import { probe, startBuilt, type LogLine } from './built-server.js';

// The built service (npm run build) in child processes, on loopback ports. Nothing here waits a
// fixed time for something to happen: each step waits for the log line or answer that shows it.
// On a loaded machine a worker takes many seconds to start beside two busy ones: the bounds are
// wide, and this file's timeout with them.
t.setTimeout(300_000);

const BODY = JSON.stringify({
  destType: 'ometria',
  input: [{ message: identifyMessage(1), metadata: routerMetadata(1), destination: destination('d', { apiKey: 'k' }) }],
});

const isWorkerReady = (line: LogLine) => line.msg === 'ready';

t.test('WORKERS=2: a client posting continuously across SIGHUP gets every request answered 200 while the workers are replaced one at a time', async (t) => {
  const started = Date.now();
  // Load shedding off: on a busy machine the event loop may lag past its limit, and its 503s are
  // not what this test is about.
  const server = await startBuilt({ WORKERS: '2', SHED_MAX_EVENT_LOOP_DELAY_MS: '0' });
  t.teardown(() => server.signal('SIGKILL'));
  // Both workers listening: each logs one `ready` line.
  await server.waitForLine(() => server.lines().filter(isWorkerReady).length >= 2, 'ready from both workers');
  const oldPids = server.lines().filter(isWorkerReady).map((line) => line.pid);

  // Kept-alive connections, as rudder-server keeps them; undici retries no POST by itself, so a
  // refused or reset connection shows up here as an error.
  const pool = new Pool(server.url, { connections: 2 });
  t.teardown(() => pool.destroy());
  const statuses = new Map<number, number>();
  const errors: string[] = [];
  let answered = 0;
  let closedByServer = 0;
  let stop = false;
  // The loops stop by themselves at this bound should a condition below never come.
  const deadline = Date.now() + 240_000;
  let onAnswer: (() => void) | undefined;
  const loop = async () => {
    while (!stop && Date.now() < deadline) {
      try {
        const res = await pool.request({ path: '/routerTransform', method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
        await res.body.dump();
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.headers.connection === 'close') closedByServer++;
      } catch (error) {
        errors.push(String((error as { code?: unknown }).code ?? error));
      }
      answered++;
      onAnswer?.();
    }
  };
  const answeredAtLeast = (n: number) =>
    new Promise<void>((resolve) => {
      onAnswer = () => {
        if (answered >= n || stop || Date.now() >= deadline) resolve();
      };
      onAnswer();
    });
  const loops = Array.from({ length: 2 }, loop);

  await answeredAtLeast(100);
  const atSighup = answered;
  server.signal('SIGHUP');
  const restarted = await server.waitForLine((line) => line.msg === 'workers restarted', 'workers restarted', 240_000);
  const duringRestart = answered - atSighup;
  const newPids = restarted.pids as number[];
  // A new worker's pid answers: its request lines are the proof that it serves.
  const served = await server.waitForLine((line) => line.msg === 'request' && newPids.includes(line.pid ?? -1), 'a request served by a new worker');
  await answeredAtLeast(answered + 100);
  stop = true;
  await Promise.all(loops);
  await pool.close();

  t.strictSame(errors, [], 'no refused or reset connection');
  t.strictSame(Object.fromEntries(statuses), { 200: answered - errors.length }, 'every request answered 200: no 503 from a draining worker');
  t.ok(duringRestart > 0, `requests answered while the workers were replaced (${duringRestart})`);
  t.equal(newPids.length, 2, 'two workers after the restart');
  t.strictSame(newPids.filter((pid) => oldPids.includes(pid)), [], 'neither is an old one');
  t.ok(newPids.includes(served.pid ?? -1));
  const replaced = server.lines().filter((line) => line.msg === 'worker replaced');
  t.strictSame(replaced.map((line) => line.pid).sort(), [...oldPids].sort(), 'each old worker replaced once');
  t.strictSame(replaced.map((line) => line.replacedBy).sort(), [...newPids].sort(), 'by the new ones');
  const retired = server.lines().filter((line) => line.msg === 'retiring: the replacement worker listens; finishing in-flight requests');
  t.strictSame(retired.map((line) => line.pid).sort(), [...oldPids].sort(), 'each old worker drained');
  t.comment(`${answered} requests, ${duringRestart} during the restart, ${closedByServer} answered with Connection: close, ${Date.now() - started} ms`);

  server.signal('SIGTERM');
  t.strictSame(await server.exited, { code: 0, signal: null }, 'SIGTERM after the restart still stops every worker', { tail: server.tail() });
});

t.test('WORKERS=1: SIGHUP is ignored, with a log line, and the process keeps serving', async (t) => {
  const server = await startBuilt({ WORKERS: '1' });
  t.teardown(() => server.signal('SIGKILL'));
  server.signal('SIGHUP');
  const line = await server.waitForLine((l) => typeof l.msg === 'string' && l.msg.startsWith('SIGHUP ignored'), 'SIGHUP ignored');
  t.equal(line.level, 40, 'at warn');
  t.match(line.msg, /WORKERS of 2 or more/);
  t.equal(await probe(server.url, '/health'), 200);
  t.equal(await probe(server.url, '/ready'), 200);
  server.signal('SIGTERM');
  t.strictSame(await server.exited, { code: 0, signal: null }, 'SIGTERM still stops it', { tail: server.tail() });
});
