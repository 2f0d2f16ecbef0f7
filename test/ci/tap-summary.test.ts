import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// .ci/run's summary of `npm test`, read from what tap really prints: a throw-away project (its own
// .tap/ directory, so it never meets this run's) with a passing, a failing, a crashing and a
// wrongly exiting test file, run by this repository's tap.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CI = join(ROOT, '.ci/run');
const TAP = join(ROOT, 'node_modules/.bin/tap');
// The runner must not think it is a child of this run.
const env = { PATH: process.env.PATH ?? '' };

const FILES: Record<string, string> = {
  'pass.test.mjs': `import t from 'tap';
t.test('group', async (t) => { t.equal(1, 1, 'one'); t.ok(true, 'two'); });
`,
  'fail.test.mjs': `import t from 'tap';
t.test('a group', async (t) => {
  t.equal(1, 1, 'one is one');
  t.test('nested', async (t) => { t.strictSame({ a: [1, 2] }, { a: [1, 3] }, 'objects differ'); });
});
`,
  'crash.test.mjs': `import { nothing } from 'node:fs';
`,
  'exits.test.mjs': `import t from 'tap';
t.pass('fine');
t.teardown(() => { process.exitCode = 3; });
`,
};

interface Run {
  readonly code: number;
  readonly stdout: string;
}
function run(file: string, args: readonly string[], cwd: string, stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { cwd, env, maxBuffer: 1 << 24 }, (error, stdout) => {
      const code = error === null ? 0 : (error as { code?: unknown }).code;
      if (typeof code !== 'number') reject(error ?? new Error('no exit code'));
      else resolve({ code, stdout });
    });
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

/** Runs tap on `names` in a new project; the raw TAP and stderr paths. */
async function tapRun(t: Test, names: readonly string[]): Promise<{ tap: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tap-summary-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module","private":true}\n');
  for (const name of names) writeFileSync(join(dir, name), FILES[name] ?? '');
  const args = names.map((n) => `'${n}'`).join(' ');
  await run('sh', ['-c', `'${TAP}' --disable-coverage --reporter=tap ${args} > raw.tap 2> stderr.txt`], dir);
  return { tap: join(dir, 'raw.tap'), stderr: join(dir, 'stderr.txt') };
}

const fileLines = (summary: string) => summary.split('\n').filter((l) => /^(ok|not ok|no end) /.test(l));
const assertions = (line: string) => Number(/(\d+) assertions?/.exec(line)?.[1]);

t.test('one line per file, every failure in full, tap\'s own totals; the counts add up to tap\'s', async (t) => {
  const { tap, stderr } = await tapRun(t, Object.keys(FILES));
  const { code, stdout } = await run('bash', [CI, '--tap-summary', tap, stderr], ROOT);
  t.equal(code, 0);
  const lines = fileLines(stdout);
  t.equal(lines.length, 4, stdout);
  t.match(lines.find((l) => l.endsWith('  pass.test.mjs')), /^ok {6}\s+2 assertions\s+\d+\.\ds {2}pass\.test\.mjs$/);
  t.match(lines.find((l) => l.endsWith('  fail.test.mjs')), /^not ok\s+2 assertions, 1 failed\s+\d+\.\ds {2}fail\.test\.mjs$/);
  t.match(lines.find((l) => l.endsWith('  crash.test.mjs')), /^not ok\s+1 assertion, 1 failed\s+\d+\.\ds {2}crash\.test\.mjs$/);
  t.match(lines.find((l) => l.endsWith('  exits.test.mjs')), /^not ok\s+2 assertions, 1 failed\s+\d+\.\ds {2}exits\.test\.mjs$/);

  const failures = stdout.slice(stdout.indexOf('\nFailures: 3 of 4 test files\n'));
  t.not(failures, '', 'a failures section');
  // The failing assertion, where it is, and its diagnostics as tap gave them.
  t.match(failures, /\n--- fail\.test\.mjs\n {2}not ok - a group > nested > objects differ\n {6}diff: \|\n/);
  t.match(failures, /\n {8}- {4}3,\n {8}\+ {4}2,\n/);
  t.match(failures, /\n {6}at:\n {8}fileName: fail\.test\.mjs\n {8}lineNumber: 4\n/);
  t.notMatch(failures, /(not )?ok - .*one is one/, 'passing assertions are not listed');
  // A file that fails outside any assertion: what the runner saw, then the tests' stderr.
  t.match(failures, /\n--- crash\.test\.mjs\n {2}failed outside any assertion:\n {6}exitCode: 1\n {6}signal: null\n/);
  t.match(failures, /\n--- exits\.test\.mjs\n {2}failed outside any assertion:\n {6}exitCode: 3\n/);
  t.match(failures, /The test processes' stderr:\n[^]*SyntaxError: The requested module 'node:fs' does not provide an export named 'nothing'/);
  t.notMatch(failures, /--import=/, "the runner's command line is left out");

  const raw = readFileSync(tap, 'utf8');
  const totals = /^# \{ total: (\d+), pass: (\d+), fail: (\d+) \}$/m.exec(raw);
  t.ok(totals, 'tap printed its totals');
  t.ok(stdout.trimEnd().split('\n').includes(totals?.[0] ?? '-'), 'and they are shown');
  t.equal(lines.map(assertions).reduce((a, b) => a + b, 0), Number(totals?.[1]), "the files' assertions add up to tap's total");

  const piped = await run('bash', [CI, '--tap-summary', '-', stderr], ROOT, raw);
  t.equal(piped.stdout, stdout, 'read from a pipe (as CI does, while the tests run), the same');
});

t.test('a passing run is one line per file and the totals', async (t) => {
  const { tap, stderr } = await tapRun(t, ['pass.test.mjs']);
  const { stdout } = await run('bash', [CI, '--tap-summary', tap, stderr], ROOT);
  t.match(stdout, /^ok\s+2 assertions\s+\d+\.\ds {2}pass\.test\.mjs\n\n# No coverage generated\n# \{ total: 2, pass: 2 \}\n# time=[\d.]+ms\n$/);
});
