import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config.js';

// The start-up recipes in .env.example's header, run as written on a copy of the file (comments,
// empty values and all), with the final command swapped for one that prints what arrived.
const EXAMPLE = new URL('../../.env.example', import.meta.url);
const text = readFileSync(EXAMPLE, 'utf8');
const header = text.slice(0, text.indexOf('\n\n'));
const documented = new Map(
  text
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
);
const run = promisify(execFile);

/** A directory holding .env (a copy of .env.example) and print-env.mjs, removed after the test. */
function workDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'env-recipe-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(EXAMPLE, join(dir, '.env'));
  writeFileSync(
    join(dir, 'print-env.mjs'),
    `const names = ${JSON.stringify([...documented.keys()])};\n` +
      'console.log(JSON.stringify(Object.fromEntries(names.map((n) => [n, process.env[n] ?? null]))));\n',
  );
  return dir;
}

/** What the child saw: every documented variable with the file's value, and a config that loads. */
function checkArrived(t: Test, how: string, stdout: string): void {
  const seen = JSON.parse(stdout) as Record<string, string | null>;
  t.strictSame(seen, Object.fromEntries(documented), `${how}: every variable arrives with the value in the file`);
  t.equal(seen.OMETRIA_PROXY_ORIGINS, '', 'an empty value arrives empty');
  t.strictSame(loadConfig(seen as Record<string, string>), loadConfig({}), 'and the service reads its defaults from it');
}

// The child gets no variable of ours: only PATH, to find node and npm.
const bare = { PATH: process.env.PATH ?? '' };

t.test('the shell recipe: (set -a; . ./.env; set +a; npm start)', async (t) => {
  const recipe = /^#\s+(\(set -a; \. \.\/\.env; set \+a; npm start\))$/m.exec(header)?.[1];
  t.ok(recipe, 'documented in the header');
  if (recipe === undefined) return;
  const dir = workDir(t);
  const command = recipe.replace('npm start', 'node print-env.mjs');
  for (const shell of ['sh', 'bash']) {
    const { stdout } = await run(shell, ['-c', command], { cwd: dir, env: bare });
    checkArrived(t, shell, stdout);
  }
});

t.test('the node recipe: node --env-file=.env dist/src/process/server.js', async (t) => {
  const recipe = /^#\s+npm run build && (node --env-file=\.env) dist\/src\/process\/server\.js$/m.exec(header)?.[1];
  t.ok(recipe, 'documented in the header');
  if (recipe === undefined) return;
  const dir = workDir(t);
  const { stdout } = await run('sh', ['-c', `${recipe} print-env.mjs`], { cwd: dir, env: bare });
  checkArrived(t, 'node', stdout);
});

t.test('the recipe the header used to give fails on this file: it must not come back', async (t) => {
  t.notMatch(header, /xargs/);
});
