/**
 * Files shipped beside the code (the seed plan, bin/hoshin.js), found from the project root
 * rather than from this module's own place, so the same code runs from src/ (through tsx) and
 * from the bundle `bin/hoshin.js serve` builds under node_modules/.cache.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function projectFile(relative: string): string {
  if (root === undefined) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!(existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bin', 'hoshin.js')))) {
      const up = dirname(dir);
      if (up === dir) throw new Error(`Hoshin's project folder not found above ${fileURLToPath(import.meta.url)}`);
      dir = up;
    }
    root = dir;
  }
  return join(root, relative);
}
