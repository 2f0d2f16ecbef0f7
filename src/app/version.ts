import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BuildInfo {
  readonly name: string;
  readonly version: string;
}

/** package.json of this service, found upward from this file (it runs from src/ and from dist/src/). Read once at start-up. */
export function readBuildInfo(): BuildInfo {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Partial<BuildInfo>;
      if (pkg.name === 'ometria-transformer') return { name: pkg.name, version: String(pkg.version) };
    } catch {
      // not here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) return { name: 'ometria-transformer', version: 'unknown' };
    dir = parent;
  }
}
