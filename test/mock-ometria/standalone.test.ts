import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The mock must catch the service's mistakes, not share them: nothing under src/mock-ometria may
// import the service's code (its constants, schemas, checks or logger). Packages are fine, and so
// is the one neutral helper both read their environment with.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MOCK = join(ROOT, 'src/mock-ometria');
const ALLOWED_OUTSIDE = new Set(['src/load-env.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]/gm;

t.test('the mock imports nothing of the service', async (t) => {
  const files = sources(MOCK);
  t.ok(files.length > 10, `${files.length} source files found`);
  const outside: string[] = [];
  for (const file of files) {
    for (const [, specifier = ''] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (!specifier.startsWith('.')) continue;
      const target = relative(ROOT, resolve(dirname(file), specifier)).replace(/\.js$/, '.ts');
      if (target.startsWith('src/mock-ometria/') || ALLOWED_OUTSIDE.has(target)) continue;
      outside.push(`${relative(ROOT, file)} → ${target}`);
    }
  }
  t.strictSame(outside, [], 'only the mock\'s own files and the shared env loader');
});

t.test('the push path is written in the mock', async (t) => {
  const push = readFileSync(join(MOCK, 'routes/push.ts'), 'utf8');
  t.match(push, /const PUSH_PATH = '\/v2\/push';/);
});

t.test('the data deletion path is written in the mock', async (t) => {
  const deletion = readFileSync(join(MOCK, 'routes/deletion.ts'), 'utf8');
  t.match(deletion, /const DELETION_PATH = '\/v2\/data-deletion-requests';/);
});
