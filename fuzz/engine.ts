/**
 * The fuzz loop. Each target runs in a worker process with a bounded heap; the worker says
 * which input it is about to read before each one, so the main process sees a hang (no word
 * for the target's limit) or a crash, kills the worker, makes that input again from its seed
 * and saves it, and goes on from the next input in a new worker. An escaped exception, a failed oracle, a hang, or the worker running
 * out of memory is a finding; every finding's input is saved under test-results/fuzz/ with the
 * command that replays it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fork, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Rng } from './rng.ts';
import type { FuzzInput } from './target.ts';
import { targetNamed } from './targets/index.ts';

export type FindingKind = 'exception' | 'oracle' | 'hang' | 'slow' | 'memory' | 'crash';

export interface Finding {
  kind: FindingKind;
  target: string;
  seed: number;
  index: number;
  message: string;
  stack?: string;
  /** The saved input (.bin) and its description (.json). */
  saved?: string;
}

export interface SlowInput {
  index: number;
  ms: number;
  bytes: number;
}

export interface TargetReport {
  target: string;
  seed: number;
  inputs: number;
  seconds: number;
  perSecond: number;
  slowest: SlowInput[];
  /** Highest resident memory of the worker process, MB. */
  peakRssMb: number;
  findings: Finding[];
  /** Findings matching `known`, and repeats of a finding already saved, by signature. */
  known: Record<string, number>;
  repeats: Record<string, number>;
  /** Hangs that did not hang when the input was read again alone. */
  stalls: number;
}

/** Reads a hung input again in a fresh process (`run.ts --replay`): true when it is still over the limit there. */
function hangsAlone(outDir: string, target: string, seed: number, index: number, input: FuzzInput, hangMs: number): boolean {
  const base = saveFinding(outDir, { kind: 'hang', target, seed, index, message: 'being read again alone' }, input);
  // Loading seeds (PDFs, a crawled world) takes seconds before the input is read: allowed on top of the limit.
  const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./run.ts', import.meta.url)), '--replay', `${base}.json`], { encoding: 'utf8', timeout: hangMs + 120_000 });
  const took = /passed in (\d+) ms|failed after (\d+) ms/.exec(run.stdout + run.stderr);
  const hangs = !took || Number(took[1] ?? took[2]) > hangMs;
  if (!hangs) for (const ext of ['.bin', '.json']) rmSync(`${base}${ext}`, { force: true });
  return hangs;
}

/** Two findings are the same when they differ only in numbers (offsets, object ids, sizes). */
export function signature(kind: string, message: string): string {
  return `${kind}: ${message.replace(/\d+/g, 'N').slice(0, 160)}`;
}

export interface FuzzOptions {
  target: string;
  seed: number;
  /** Inputs to read; Infinity with `seconds` for a timed run. */
  count: number;
  seconds?: number;
  /** Stop after this many distinct findings (each saved; repeats of one are counted, not saved). */
  maxFindings?: number;
  /** Known, reported findings that do not fail the run: counted in `known`, their first input saved. */
  known?: readonly RegExp[];
  /** The worker process's heap limit: past it, the input being read is a memory finding. */
  maxHeapMb?: number;
  /** Overrides the target's own per-input limit. */
  hangMs?: number;
  outDir?: string;
  /** Progress lines (every few seconds); none when absent. */
  log?: (line: string) => void;
}

/** What the worker process is told, in its first message. */
export interface WorkerTask {
  target: string;
  seed: number;
  start: number;
  end: number;
  deadline: number;
  hangMs: number;
  maxFindings: number;
}

/** What the worker process says. `at` comes before every input, so a hang or a crash names its input. */
export type WorkerMessage =
  | { type: 'at'; index: number }
  | { type: 'progress'; done: number; rssMb: number }
  | { type: 'finding'; kind: 'exception' | 'oracle' | 'slow'; index: number; message: string; stack?: string; input: FuzzInput }
  | { type: 'done'; done: number; slowest: SlowInput[]; rssMb: number };

export const DEFAULT_OUT_DIR = 'test-results/fuzz';
const POLL_MS = 200;
const DEFAULT_HEAP_MB = 1536;

export function replayCommand(target: string, seed: number, index: number): string {
  return `node --import tsx fuzz/run.ts --target ${target} --seed ${seed} --index ${index}`;
}

/** Saves a finding's input: <target>-s<seed>-i<index>.bin and a .json saying what happened and how to replay it. */
export function saveFinding(outDir: string, finding: Finding, input: FuzzInput | undefined): string {
  mkdirSync(outDir, { recursive: true });
  const base = join(outDir, `${finding.target}-s${finding.seed}-i${finding.index}`);
  if (input) writeFileSync(`${base}.bin`, input.bytes);
  writeFileSync(`${base}.json`, `${JSON.stringify({ ...finding, saved: undefined, meta: input?.meta, replay: replayCommand(finding.target, finding.seed, finding.index), replayFile: `node --import tsx fuzz/run.ts --replay ${base}.json` }, null, 2)}\n`);
  return base;
}

/** Input `index` made again in this thread, from the seed alone. */
export async function regenerate(targetName: string, seed: number, index: number): Promise<FuzzInput> {
  const target = targetNamed(targetName);
  const material = await target.load();
  return await target.generate(material, Rng.forInput(seed, targetName, index));
}

/** Runs one target to its count or time, restarting the worker after a hang or a crash, until maxFindings. */
export async function fuzzTarget(options: FuzzOptions): Promise<TargetReport> {
  const target = targetNamed(options.target);
  const hangMs = options.hangMs ?? target.hangMs;
  const maxFindings = options.maxFindings ?? 10;
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const started = performance.now();
  const deadline = options.seconds === undefined ? Number.MAX_SAFE_INTEGER : Date.now() + options.seconds * 1000;
  const findings: Finding[] = [];
  const slowest: SlowInput[] = [];
  let peakRssMb = 0;
  let stalls = 0;
  const known: Record<string, number> = {};
  const repeats: Record<string, number> = {};
  const seen = new Set<string>();
  /** Saves a finding unless it repeats one, and counts it as known or as a failure. */
  const record = (finding: Finding, input: FuzzInput | undefined) => {
    const sig = signature(finding.kind, finding.message);
    if (seen.has(sig)) {
      repeats[sig] = (repeats[sig] ?? 0) + 1;
      return;
    }
    seen.add(sig);
    finding.saved = saveFinding(outDir, finding, input);
    if (options.known?.some((k) => k.test(finding.message))) {
      known[sig] = (known[sig] ?? 0) + 1;
      options.log?.(`${options.target}: known finding at input ${finding.index}: ${finding.message.slice(0, 200)}`);
      return;
    }
    findings.push(finding);
    options.log?.(`${options.target}: ${finding.kind} at input ${finding.index}: ${finding.message.slice(0, 300)} (saved ${finding.saved}.bin)`);
  };
  let next = 0;
  let lastLog = performance.now();

  while (next < options.count && Date.now() < deadline && findings.length < maxFindings) {
    const task: WorkerTask = {
      target: options.target,
      seed: options.seed,
      start: next,
      end: Math.min(options.count, Number.MAX_SAFE_INTEGER),
      deadline,
      hangMs,
      // Repeats of one finding are dropped here, not in the worker: let it go on past them.
      maxFindings: 50 * maxFindings,
    };
    // A process, not a worker thread: a heap blown inside JSON.stringify can abort the whole
    // process, which must be the worker's and not the one keeping count.
    const child = fork(fileURLToPath(new URL('./worker.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx', `--max-old-space-size=${options.maxHeapMb ?? DEFAULT_HEAP_MB}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const outcome = await new Promise<{ kind: 'done'; done: number } | { kind: 'hang' | 'memory' | 'crash'; index: number; message: string; stack?: string }>((resolve) => {
      let current = task.start;
      let begun = false;
      let lastMove = performance.now();
      let settled = false;
      const finish = (o: Parameters<typeof resolve>[0]) => {
        if (settled) return;
        settled = true;
        clearInterval(timer);
        resolve(o);
      };
      const timer = setInterval(() => {
        const now = performance.now();
        // Before the first input the worker loads its seeds (seconds for PDFs and the crawled world): not a hang.
        if (current === task.start && !begun ? now - lastMove > hangMs + 120_000 : now - lastMove > hangMs) {
          finish({ kind: 'hang', index: current, message: `input ${current} still running after ${Math.round((now - lastMove) / 1000)} s (limit ${hangMs / 1000} s)` });
          child.kill('SIGKILL');
        }
        if (options.log && now - lastLog > 5000) {
          lastLog = now;
          const secs = (now - started) / 1000;
          options.log(`${options.target}: ${current.toLocaleString('en-US')} inputs, ${Math.round(current / secs).toLocaleString('en-US')}/s, worker RSS ${peakRssMb} MB, ${findings.length} findings`);
        }
      }, POLL_MS);
      child.on('message', (m: WorkerMessage) => {
        if (m.type === 'at') {
          begun = true;
          current = m.index;
          lastMove = performance.now();
        } else if (m.type === 'progress') peakRssMb = Math.max(peakRssMb, m.rssMb);
        else if (m.type === 'finding') {
          record({ kind: m.kind, target: options.target, seed: options.seed, index: m.index, message: m.message, ...(m.stack ? { stack: m.stack } : {}) }, m.input);
          if (findings.length >= maxFindings) finish({ kind: 'done', done: m.index + 1 });
        } else {
          peakRssMb = Math.max(peakRssMb, m.rssMb);
          slowest.push(...m.slowest);
          finish({ kind: 'done', done: m.done });
        }
      });
      child.on('exit', (code, signal) => {
        const memory = /heap out of memory|Reached heap limit/.test(stderr);
        finish({
          kind: memory ? 'memory' : 'crash',
          index: current,
          message: memory ? `input ${current} took the worker past its ${options.maxHeapMb ?? DEFAULT_HEAP_MB} MB heap` : `the worker exited (${signal ?? `code ${code}`}) reading input ${current}`,
          ...(stderr ? { stack: stderr } : {}),
        });
      });
      child.send(task);
    });
    child.kill('SIGKILL');
    if (outcome.kind === 'done') {
      next = outcome.done;
      break;
    }
    const input = await regenerate(options.target, options.seed, outcome.index).catch(() => undefined);
    if (outcome.kind === 'hang' && input && !hangsAlone(outDir, options.target, options.seed, outcome.index, input, hangMs)) {
      // Read again alone, it finished in time: the machine stalled (a loaded CI host), not the reader.
      stalls++;
      options.log?.(`${options.target}: input ${outcome.index} stalled but reads in time alone; not counted`);
      next = outcome.index + 1;
      continue;
    }
    record({ kind: outcome.kind, target: options.target, seed: options.seed, index: outcome.index, message: outcome.message, ...(outcome.stack ? { stack: outcome.stack } : {}) }, input);
    next = outcome.index + 1;
  }
  const seconds = (performance.now() - started) / 1000;
  slowest.sort((a, b) => b.ms - a.ms);
  return { target: options.target, seed: options.seed, inputs: next, seconds, perSecond: next / seconds, slowest: slowest.slice(0, 5), peakRssMb, findings, known, repeats, stalls };
}
