/**
 * The official documents: how long Hoshin takes to write a plan's PDF and xlsx, beside the
 * route an office takes today — LibreOffice (Debian's `libreoffice --headless --convert-to pdf`)
 * turning the same xlsx into a PDF. Plans: the seed and a generated 30-issue plan. LibreOffice is
 * installed with apt-get when missing (as root); without it the comparison is reported as n/a.
 *
 *   node --import tsx bench/documents.ts        # or: npm run bench -- documents
 *
 * Timed per document after a warm-up (BENCH_SECONDS, default 2 s per measurement). LibreOffice
 * is timed twice: one file per invocation (what a person converting one file waits for) and
 * a batch of ten files in one invocation (its start-up spread over the batch).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plan } from '../src/domain/plan.ts';
import { bizUdpGothicPaths, parseDocument, renderDocumentBytes } from '../src/formats/index.ts';
import { generatePlan } from '../test/support/build-plan.ts';

export interface DocumentBenchRow {
  data: string;
  operation: 'Hoshin PDF' | 'Hoshin xlsx' | 'LibreOffice xlsx→PDF (1 file)' | 'LibreOffice xlsx→PDF (batch of 10)';
  documents: number;
  /** Mean time per document, in milliseconds; null when the tool is not available. */
  msPerDocument: number | null;
  bytes: number | null;
}

function thirtyIssuePlan(): Plan {
  for (let seed = 1; seed < 10_000; seed++) {
    const plan = generatePlan(seed, { maxIssues: 30 });
    if (plan.issues.length === 30) return plan;
  }
  throw new Error('no generated plan with 30 issues');
}

async function timeAsync(seconds: number, one: () => Promise<Uint8Array>): Promise<{ documents: number; ms: number; bytes: number }> {
  const bytes = (await one()).length; // warm-up
  let documents = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    await one();
    documents++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  } while (elapsed < seconds * 1000);
  return { documents, ms: elapsed / documents, bytes };
}

/** The LibreOffice command, installing Debian's package when missing and allowed (root with apt). */
function libreOffice(log: (s: string) => void): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v libreoffice || command -v soffice'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    log('documents: LibreOffice not installed and not root: comparison skipped (apt-get install libreoffice-calc-nogui)');
    return undefined;
  }
  log('documents: installing LibreOffice (apt-get install libreoffice-calc-nogui)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update'], { stdio: 'ignore', env });
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'libreoffice-calc-nogui'], { stdio: 'ignore', env });
  if (install.status !== 0) {
    log('documents: apt-get could not install LibreOffice: comparison skipped');
    return undefined;
  }
  return spawnSync('sh', ['-c', 'command -v libreoffice || command -v soffice'], { encoding: 'utf8' }).stdout.trim() || undefined;
}

/** Mean ms per file of `libreoffice --headless --convert-to pdf` over `files`, in `runs` invocations. */
function convertWithLibreOffice(command: string, dir: string, files: string[], runs: number): { ms: number; bytes: number } {
  // Its own profile, so a desktop LibreOffice's lock or settings do not interfere, and the first-run setup is in the warm-up.
  const profile = pathToFileURL(join(dir, 'lo-profile')).href;
  const args = (names: string[]) => [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', join(dir, 'out'), ...names];
  execFileSync(command, args(files.slice(0, 1)), { stdio: 'ignore', cwd: dir });
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) execFileSync(command, args(files), { stdio: 'ignore', cwd: dir });
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / runs / files.length;
  return { ms, bytes: readFileSync(join(dir, 'out', files[0]!.replace(/\.xlsx$/, '.pdf'))).length };
}

export function formatTable(rows: DocumentBenchRow[]): string {
  const header = ['data', 'operation', 'documents', 'ms/document', 'KB', '× Hoshin PDF'];
  const hoshinPdf = new Map(rows.filter((r) => r.operation === 'Hoshin PDF').map((r) => [r.data, r.msPerDocument]));
  const body = rows.map((r) => {
    const base = hoshinPdf.get(r.data);
    return [
      r.data,
      r.operation,
      String(r.documents),
      r.msPerDocument === null ? 'n/a' : r.msPerDocument.toFixed(1),
      r.bytes === null ? '' : (r.bytes / 1024).toFixed(0),
      r.msPerDocument !== null && base ? (r.msPerDocument / base).toFixed(1) : '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export async function run(options: { seconds?: number; log?: (s: string) => void } = {}): Promise<DocumentBenchRow[]> {
  const seconds = options.seconds ?? Number(process.env.BENCH_SECONDS ?? 2);
  const log = options.log ?? ((s: string) => console.log(s));
  const seed = parseDocument(readFileSync(new URL('../test/fixtures/text/osaka-nishi-2017.txt', import.meta.url)), 'seed.txt').plan!;
  const paths = bizUdpGothicPaths();
  const pdfFonts = { regular: new Uint8Array(readFileSync(paths.regular)), bold: new Uint8Array(readFileSync(paths.bold)) };
  const command = libreOffice(log);
  const rows: DocumentBenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'hoshin-bench-docs-'));
  try {
    for (const [data, plan] of [['seed', seed], ['thirty-issues', thirtyIssuePlan()]] as const) {
      const pdf = await timeAsync(seconds, () => renderDocumentBytes(plan, 'pdf', { pdfFonts }));
      rows.push({ data, operation: 'Hoshin PDF', documents: pdf.documents, msPerDocument: pdf.ms, bytes: pdf.bytes });
      const xlsx = await timeAsync(seconds, () => renderDocumentBytes(plan, 'xlsx'));
      rows.push({ data, operation: 'Hoshin xlsx', documents: xlsx.documents, msPerDocument: xlsx.ms, bytes: xlsx.bytes });
      if (!command) {
        rows.push({ data, operation: 'LibreOffice xlsx→PDF (1 file)', documents: 0, msPerDocument: null, bytes: null });
        continue;
      }
      const workbook = await renderDocumentBytes(plan, 'xlsx');
      const names = Array.from({ length: 10 }, (_, i) => `${data}-${i + 1}.xlsx`);
      for (const name of names) writeFileSync(join(dir, name), workbook);
      const single = convertWithLibreOffice(command, dir, names.slice(0, 1), 3);
      rows.push({ data, operation: 'LibreOffice xlsx→PDF (1 file)', documents: 3, msPerDocument: single.ms, bytes: single.bytes });
      const batch = convertWithLibreOffice(command, dir, names, 1);
      rows.push({ data, operation: 'LibreOffice xlsx→PDF (batch of 10)', documents: 10, msPerDocument: batch.ms, bytes: batch.bytes });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  log(formatTable(rows));
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
