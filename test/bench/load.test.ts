/** Interleaved rounds add up to one line: throughput over their total time, percentiles over all. */
import t from 'tap';
import { combineLoads, type LoadResult } from '../../bench/load.js';

function run(seconds: number, responses: number, latencies: number[], serverCpuSeconds: number | undefined): LoadResult {
  return {
    seconds,
    wallSeconds: seconds,
    responses,
    events: responses * 100,
    errors: 1,
    timeouts: 0,
    non2xx: 2,
    latencies: Float64Array.from(latencies).sort(),
    clientCpuSeconds: seconds / 4,
    serverCpuSeconds,
    machineCpuSeconds: serverCpuSeconds === undefined ? undefined : seconds * 1.5,
    eventsPerSecond: (responses * 100) / seconds,
    p50: Number.NaN,
    p99: Number.NaN,
    clientCores: 0.25,
    serverCores: undefined,
    otherCores: undefined,
  };
}

t.test('rounds combine into one result', async (t) => {
  const slow = Array.from({ length: 100 }, (_, i) => 10 + i / 100);
  const fast = Array.from({ length: 100 }, (_, i) => 1 + i / 100);
  const all = combineLoads([run(2, 100, slow, 2), run(2, 300, fast, 2)]);
  t.equal(all.eventsPerSecond, 10_000, '40,000 events in 4 s');
  t.equal(all.latencies.length, 200);
  t.equal(all.p50, 1.99, 'the median of both rounds');
  t.equal(all.p99, 10.97, 'the 198th of 200');
  t.equal(all.errors + all.non2xx, 6);
  t.equal(all.clientCores, 0.25);
  t.equal(all.serverCores, 1);
  t.equal(all.otherCores, 0.25);
  t.equal(combineLoads([run(1, 1, [1], undefined)]).serverCores, undefined, 'unknown server CPU stays unknown');
  t.ok(Number.isNaN(combineLoads([run(1, 0, [], 1)]).p99), 'no latencies, no percentile');
});
