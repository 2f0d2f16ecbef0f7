import { failuresOf, type RunLine, type ServerName } from './results.js';
import type { Variant } from './templates.js';

/** The speed budgets, judged against the echo measured in the same run. */
export interface Verdict {
  readonly budget: string;
  readonly measured: string;
  /** undefined when a run it needs was not made (BENCH_ONLY, BENCH_VARIANTS). */
  readonly met: boolean | undefined;
}

const RATIO_BUDGETS: Readonly<Record<Variant, number>> = { compacted: 0.7, plain: 0.65 };
const P99_FACTOR = 1.5;
const RSS_FACTOR = 1.25;
const RSS_LIMIT_MIB = 150;

const f = (n: number, digits = 2) => n.toFixed(digits);

export function judge(lines: readonly RunLine[]): Verdict[] {
  const get = (server: ServerName, variant: Variant) => lines.find((l) => l.server === server && l.variant === variant);
  const verdicts: Verdict[] = [];
  const variants: Variant[] = ['compacted', 'plain'];
  for (const variant of variants) {
    const ours = get('service', variant);
    const echo = get('echo', variant);
    const ratio = ours !== undefined && echo !== undefined ? ours.load.eventsPerSecond / echo.load.eventsPerSecond : undefined;
    verdicts.push({
      budget: `${variant}: service events/s ≥ ${RATIO_BUDGETS[variant]} × echo`,
      measured: ratio === undefined ? 'not run' : `${f(ratio)}`,
      met: ratio === undefined ? undefined : ratio >= RATIO_BUDGETS[variant],
    });
  }
  for (const variant of variants) {
    const ours = get('service', variant);
    const echo = get('echo', variant);
    const factor = ours !== undefined && echo !== undefined ? ours.load.p99 / echo.load.p99 : undefined;
    verdicts.push({
      budget: `${variant}: service p99 ≤ ${P99_FACTOR} × echo p99`,
      measured: factor === undefined ? 'not run' : `${f(factor)} × (${f(ours!.load.p99)} vs ${f(echo!.load.p99)} ms)`,
      met: factor === undefined ? undefined : factor <= P99_FACTOR,
    });
  }
  const rssPairs = variants.flatMap((variant) => {
    const ours = get('service', variant)?.peakRssMiB;
    const echo = get('echo', variant)?.peakRssMiB;
    return ours !== undefined && echo !== undefined ? [{ variant, ours, echo }] : [];
  });
  verdicts.push({
    budget: `service peak RSS ≤ ${RSS_FACTOR} × echo peak RSS`,
    measured: rssPairs.length === 0 ? 'not run' : rssPairs.map((p) => `${p.variant} ${f(p.ours / p.echo)} × (${f(p.ours, 1)} vs ${f(p.echo, 1)} MiB)`).join(', '),
    met: rssPairs.length === 0 ? undefined : rssPairs.every((p) => p.ours <= RSS_FACTOR * p.echo),
  });
  const peaks = lines.filter((l) => l.server === 'service' && l.peakRssMiB !== undefined).map((l) => l.peakRssMiB!);
  verdicts.push({
    budget: `service peak RSS ≤ ${RSS_LIMIT_MIB} MiB`,
    measured: peaks.length === 0 ? 'not run' : `${f(Math.max(...peaks), 1)} MiB`,
    met: peaks.length === 0 ? undefined : Math.max(...peaks) <= RSS_LIMIT_MIB,
  });
  // A failing baseline spoils its ratio as much as a failing service: every run counts.
  const failures = lines.reduce((n, l) => n + failuresOf(l), 0);
  verdicts.push({
    budget: 'no failures in any run (errors, timeouts, non-2xx)',
    measured: lines.length === 0 ? 'not run' : `${failures}`,
    met: lines.length === 0 ? undefined : failures === 0,
  });
  return verdicts;
}

export function verdictLines(verdicts: readonly Verdict[]): string {
  const mark = (met: boolean | undefined) => (met === undefined ? 'n/a' : met ? 'MET' : 'NOT MET');
  return verdicts.map((v) => `- ${v.budget}: ${v.measured} — ${mark(v.met)}`).join('\n');
}
