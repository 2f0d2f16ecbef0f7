/** Budgets are judged against the echo of the same run; a run that was not made judges nothing. */
import t from 'tap';
import { judge, verdictLines } from '../../bench/budgets.js';
import type { LoadResult } from '../../bench/load.js';
import { resultsTable, type RunLine, type ServerName } from '../../bench/results.js';
import { runNotes } from '../../bench/run-notes.js';
import type { Variant } from '../../bench/templates.js';

function line(server: ServerName, variant: Variant, eventsPerSecond: number, p99: number, peakRssMiB: number, failures = 0): RunLine {
  const load: LoadResult = {
    seconds: 10,
    wallSeconds: 10,
    responses: eventsPerSecond / 10,
    events: eventsPerSecond * 10,
    errors: failures,
    timeouts: 0,
    non2xx: 0,
    latencies: new Float64Array(),
    clientCpuSeconds: 3,
    serverCpuSeconds: 10,
    machineCpuSeconds: 13,
    eventsPerSecond,
    p50: p99 / 2,
    p99,
    clientCores: 0.3,
    serverCores: 1,
    otherCores: 0,
  };
  return { server, variant, load, rounds: [eventsPerSecond * 0.9, eventsPerSecond * 1.1], peakRssMiB, exit: 'exit 0' };
}

t.test('every budget met', async (t) => {
  const lines = [
    line('echo', 'compacted', 100_000, 10, 100),
    line('service', 'compacted', 71_000, 15, 125),
    line('echo', 'plain', 100_000, 10, 100),
    line('service', 'plain', 65_000, 14, 120),
  ];
  const verdicts = judge(lines);
  t.equal(verdicts.length, 7);
  t.same(verdicts.filter((v) => v.met !== true), []);
  t.match(verdictLines(verdicts), /compacted: service events\/s ≥ 0.7 × echo: 0.71 — MET/);
  t.match(resultsTable(lines), /\| service \| plain \| 65,000 \| 0.65 \| 0.65–0.65 \| 7.00 \| 14.00 \| 120.0 \| 0.30 \| 1.00 \| 0.00 \| 0 \|/);
});

t.test('each budget can fail on its own', async (t) => {
  const verdicts = judge([
    line('echo', 'compacted', 100_000, 10, 100),
    line('service', 'compacted', 69_000, 16, 151, 2),
    line('echo', 'plain', 100_000, 10, 100),
    line('service', 'plain', 64_000, 15, 126),
  ]);
  t.same(
    verdicts.map((v) => v.met),
    [false, false, false, true, false, false, false],
  );
  t.match(verdictLines(verdicts), /no failures in any run \(errors, timeouts, non-2xx\): 2 — NOT MET/);
});

t.test('runs not made are not judged', async (t) => {
  const verdicts = judge([line('service', 'compacted', 50_000, 16, 120)]);
  t.same(
    verdicts.map((v) => v.met),
    [undefined, undefined, undefined, undefined, undefined, true, true],
  );
  t.match(verdictLines(verdicts), /not run — n\/a/);
  t.same(judge([]).map((v) => v.met), [undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  t.match(resultsTable([line('service', 'plain', 1, 1, 1, 1)]), /\| n\/a \| n\/a \|.*\| 1 \(1 errors incl\. 0 timeouts, 0 non-2xx\) \|/);
});

t.test('the notes say what each line is and flag a disturbed or client-bound run', async (t) => {
  const calm = line('echo', 'compacted', 100_000, 10, 100);
  const busy: RunLine = { ...line('service', 'compacted', 50_000, 20, 120), exit: 'signal SIGKILL' };
  const disturbed: RunLine = { ...busy, load: { ...busy.load, clientCores: 0.95, otherCores: 0.5 } };
  const notes = runNotes([calm, disturbed], { microsecondsPerRequest: 100, requestsPerSecond: 10_000 }).join('\n');
  t.match(notes, /echo \(baseline\): a bare Fastify/);
  t.notMatch(notes, /ceiling/);
  t.match(notes, /client headroom, echo compacted: 1,000 requests\/s served; the client frames 10\.0 × that, and used 0\.30 of a core while the echo used 1\.00/);
  t.match(notes, /warning: the client used over 0\.9 of a core in service compacted/);
  t.match(notes, /warning: other processes used CPU during service compacted \(0\.50 cores\)/);
  t.match(notes, /warning: not a clean exit on SIGTERM: service compacted \(signal SIGKILL\)/);
  t.match(notes, /echo compacted, events\/s per round \(the machine's drift\): 90,000, 110,000/);
  t.match(notes, /request counter: [\d,]+ values taken/);
  t.notMatch(runNotes([calm], { microsecondsPerRequest: 1, requestsPerSecond: 1e6 }).join('\n'), /warning/);
});
