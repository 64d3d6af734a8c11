// The server's code as one ES module bundle (with a chunk per lazily loaded part), built by
// esbuild — the compiler tsx itself uses — into node_modules/.cache/hoshin when any source is
// newer than the last build. `hoshin serve` runs it: tsx's loader is a second V8 isolate that
// transforms every module as it loads, ~40 MB per process that a server holds for nothing.
// The sources are the same; there is still no build step to run by hand.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const CACHE = join(ROOT, 'node_modules', '.cache', 'hoshin');
const STALE_MS = 7 * 24 * 3600_000;
const TOUCH_MS = 6 * 3600_000;

/** The newest modification time and the count of the files the bundle is made from. */
function sourcesStamp() {
  let newest = statSync(join(ROOT, 'package-lock.json'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  let count = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        count++;
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  walk(join(ROOT, 'src'));
  walk(join(ROOT, 'schema'));
  return `${Math.floor(newest).toString(36)}-${count.toString(36)}`;
}

/** The bundle's entry (src/cli/main.ts built), building it first when the sources changed. */
export async function bundledMain() {
  const dir = join(CACHE, `dist-${sourcesStamp()}`);
  const entry = join(dir, 'main.js');
  if (!existsSync(entry)) {
    const esbuild = await import('esbuild');
    mkdirSync(CACHE, { recursive: true });
    // Built aside and renamed into place, so processes starting at once never run half a bundle.
    const building = `${dir}.building-${process.pid}`;
    await esbuild.build({
      // The worker PDFs and workbooks are read in (src/app/read-document.ts) sits beside main.js,
      // where that module looks for it.
      entryPoints: [
        { in: join(ROOT, 'src', 'cli', 'main.ts'), out: 'main' },
        { in: join(ROOT, 'src', 'app', 'read-document-worker.ts'), out: 'read-document-worker' },
      ],
      outdir: building,
      bundle: true,
      // Chunks, so the parts loaded on first use (with pdfkit, exceljs, pdfjs) stay out of
      // memory until then: one file would import every package at start (~30 MB more).
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      jsx: 'automatic',
      jsxImportSource: 'hono/jsx',
      sourcemap: 'linked',
      logLevel: 'error',
    });
    // esbuild's JS API keeps its compiler running as a child process (~35 MB) until told to stop.
    await esbuild.stop();
    try {
      renameSync(building, dir);
    } catch (e) {
      // Another process finished the same build first: use its copy.
      rmSync(building, { recursive: true, force: true });
      if (!existsSync(entry)) throw e;
    }
    for (const old of readdirSync(CACHE)) {
      const path = join(CACHE, old);
      // A running server still loads chunks from its bundle: it keeps its folder's time fresh
      // (below), so only bundles no process has used for a week are removed.
      if (old.startsWith('dist-') && path !== dir && Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    }
  }
  const touch = () => {
    const now = new Date();
    try {
      utimesSync(dir, now, now);
    } catch {
      // A read-only install: nothing is ever removed from it either.
    }
  };
  touch();
  setInterval(touch, TOUCH_MS).unref();
  return import(pathToFileURL(entry).href);
}
