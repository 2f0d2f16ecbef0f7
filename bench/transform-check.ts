import { jobIdOf, VARIANTS, type Template, type Variant } from './templates.js';

/**
 * Before anything is timed, the service must transform every template as designed: all events in
 * 200 batches, no per-event error, and no warning but the invalid phones' — so the success path
 * is what gets measured, not error items.
 */
export interface TransformCheck {
  readonly requests: number;
  readonly phoneWarnings: number;
  /** Mean size of the service's answer (without `explain`), per variant. */
  readonly answerBytes: Readonly<Record<Variant, number>>;
}

interface Item {
  statusCode?: unknown;
  batched?: unknown;
  batchedRequest?: unknown;
  error?: unknown;
  metadata?: { jobId?: unknown }[];
  warnings?: string[];
}

const PHONE_WARNING = /^job (\d+): traits\.phone: .*dropped$/;

function problemsOf(status: number, apiVersion: string | null, output: Item[] | undefined, template: Template, counter: number): string[] {
  if (status !== 200 || output === undefined) return [`HTTP ${status}`];
  const problems: string[] = [];
  if (apiVersion !== '2') problems.push(`apiVersion header ${JSON.stringify(apiVersion)}`);
  const seen: unknown[] = [];
  const warned = new Set<number>();
  for (const item of output) {
    if (item.statusCode !== 200 || item.batched !== true || item.batchedRequest === undefined) {
      problems.push(`an item with status ${String(item.statusCode)}: ${String(item.error ?? 'not a batch')}`);
    }
    for (const metadata of item.metadata ?? []) seen.push(metadata.jobId);
    for (const warning of item.warnings ?? []) {
      const job = PHONE_WARNING.exec(warning)?.[1];
      if (job === undefined) problems.push(`warning: ${warning}`);
      else warned.add(Number(job));
    }
  }
  const expected = Array.from({ length: template.events }, (_, p) => jobIdOf(counter, p));
  const sorted = (list: unknown[]) => [...list].map(String).sort().join();
  if (sorted(seen) !== sorted(expected)) problems.push(`the batches carry ${seen.length} events, not each of the ${template.events} once`);
  const invalid = template.invalidPhones.map((p) => jobIdOf(counter, p));
  if (sorted([...warned]) !== sorted(invalid)) {
    problems.push(`phone warnings for jobs [${[...warned].join(', ')}], designed invalid: [${invalid.join(', ')}]`);
  }
  return problems;
}

export async function checkTransforms(baseUrl: string, templates: readonly Template[], counters: () => number[]): Promise<TransformCheck> {
  const problems: string[] = [];
  const bytes: Record<Variant, number[]> = { compacted: [], plain: [] };
  let requests = 0;
  let phoneWarnings = 0;
  for (const template of templates) {
    for (const counter of counters()) {
      for (const variant of VARIANTS) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (variant === 'compacted') headers['x-content-format'] = 'json+compactedv1';
        const res = await fetch(`${baseUrl}/routerTransform?explain=true`, { method: 'POST', headers, body: template.render(variant, counter) });
        const text = await res.text();
        const answer = res.status === 200 ? (JSON.parse(text) as { output?: Item[] }) : {};
        requests += 1;
        const found = problemsOf(res.status, res.headers.get('apiversion'), answer.output, template, counter);
        problems.push(...found.map((p) => `template ${template.index}, counter ${counter}, ${variant}: ${p}`));
        // The answer without `explain` is this one without its warnings (the same JSON.stringify).
        for (const item of answer.output ?? []) {
          phoneWarnings += item.warnings?.length ?? 0;
          delete item.warnings;
        }
        bytes[variant].push(Buffer.byteLength(JSON.stringify(answer)));
      }
    }
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 12).map((p) => `  - ${p}`).join('\n');
    throw new Error(`the service does not transform the bench bodies as designed (${problems.length} problems):\n${shown}`);
  }
  const mean = (list: number[]) => Math.round(list.reduce((a, b) => a + b, 0) / Math.max(1, list.length));
  return { requests, phoneWarnings, answerBytes: { compacted: mean(bytes.compacted), plain: mean(bytes.plain) } };
}
