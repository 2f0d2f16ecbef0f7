// Summarises tap's raw TAP for .ci/run: one line per test file, then every failing assertion with
// its diagnostics. Reads with tap's own parser (tap-parser, and yaml for the diagnostics: both come
// with tap), so every number is tap's: each test file is a top-level subtest, and each result tap
// counts is charged to the file it came from.
//   node .ci/tap-summary.mjs RAW.tap|- [STDERR]
import { createReadStream, readFileSync } from 'node:fs';
import { Parser } from 'tap-parser';
import yaml from 'yaml';

const [tapLog, stderrLog] = process.argv.slice(2);
const files = [];
const closing = [];
let open; // the file being read
let last; // the file just closed: a file's own result (when nothing in it ran) comes after it
let shown; // the last file whose line is printed
const indent = (text, by) => text.replace(/\n$/, '').replace(/^/gm, by);
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const line = (f) => {
  const counts = [plural(f.results, 'assertion').padStart(15)];
  if (f.failures.length > 0) counts.push(`${f.failures.length} failed`);
  if (f.skip > 0) counts.push(`${f.skip} skipped`);
  if (f.todo > 0) counts.push(`${f.todo} todo`);
  const time = f.ms === undefined ? '' : `${(f.ms / 1000).toFixed(1)}s`;
  return `${(f.ok === undefined ? 'no end' : f.ok ? 'ok' : 'not ok').padEnd(7)} ${counts.join(', ').padEnd(38)} ${time.padStart(6)}  ${f.name}`;
};

const parser = new Parser();
// A file's line is printed when what follows it starts, so that its own result is counted.
const flush = () => {
  if (last !== undefined && last !== shown) console.log(line(last));
  shown = last;
};
parser.on('child', (child) => {
  flush();
  open = { name: child.name, results: 0, failures: [], skip: 0, todo: 0 };
  files.push(open);
});
parser.on('result', (res) => {
  const file = open ?? last;
  if (file === undefined) return;
  file.results++;
  if (res.todo) file.todo++;
  else if (res.skip) file.skip++;
  else if (!res.ok) file.failures.push(res);
});
parser.on('assert', (res) => {
  if (open === undefined) return;
  Object.assign(open, { ok: res.ok, ms: res.time, diag: res.diag });
  [last, open] = [open, undefined];
});
const outside = (text) => {
  flush();
  if (files.length > 0 && open === undefined && text.trim() !== '') closing.push(text.trimEnd());
};
parser.on('extra', outside);
parser.on('comment', outside);
parser.on('bailout', (reason) => closing.push(`Bail out! ${reason}`));
parser.on('complete', () => {
  flush();
  if (open !== undefined) console.log(line(open));
  const failing = files.filter((f) => f.ok !== true || f.failures.length > 0);
  if (failing.length > 0) console.log(`\nFailures: ${failing.length} of ${plural(files.length, 'test file')}`);
  let unexplained = false;
  for (const f of failing) {
    console.log(`\n--- ${f.name}`);
    for (const res of f.failures) {
      if (res.fullname === f.name) continue; // the file itself: below
      console.log(`  not ok - ${res.fullname.startsWith(`${f.name} > `) ? res.fullname.slice(f.name.length + 3) : res.fullname}`);
      if (res.diag !== null && res.diag !== undefined) console.log(indent(yaml.stringify(res.diag, { lineWidth: 0 }), '      '));
    }
    if (f.failures.every((res) => res.fullname === f.name)) {
      // A crash, a timeout or an exit code outside any assertion: what the runner saw of the process.
      unexplained = true;
      const { stdio, cwd, externalID, command, args, ...seen } = f.diag ?? {};
      console.log(`  failed outside any assertion${f.ok === undefined ? ' (the run ended inside it)' : ''}:`);
      console.log(indent(yaml.stringify(seen, { lineWidth: 0 }), '      '));
    }
  }
  if (unexplained && stderrLog !== undefined) {
    const text = readFileSync(stderrLog, 'utf8').trimEnd();
    const lines = text === '' ? [] : text.split('\n');
    if (lines.length > 0) console.log(`\nThe test processes' stderr${lines.length > 200 ? ' (first 200 lines)' : ''}:\n${indent(lines.slice(0, 200).join('\n'), '  ')}`);
  }
  if (closing.length > 0) console.log(`\n${closing.join('\n')}`);
});
(tapLog === '-' ? process.stdin : createReadStream(tapLog)).pipe(parser);
