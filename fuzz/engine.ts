/**
 * The fuzz loop. Each target runs in a worker thread with a bounded heap; the worker publishes
 * the index of the input it is reading in shared memory, so the main thread sees a hang (the
 * index does not move for the target's limit), stops the worker, makes that input again from
 * its seed and saves it. An escaped exception, a failed oracle, a hang, or the worker running
 * out of memory is a finding; every finding's input is saved under test-results/fuzz/ with the
 * command that replays it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
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
  /** Highest heap in use seen in the worker, MB. */
  peakHeapMb: number;
  findings: Finding[];
}

export interface FuzzOptions {
  target: string;
  seed: number;
  /** Inputs to read; Infinity with `seconds` for a timed run. */
  count: number;
  seconds?: number;
  /** Stop after this many findings (each saved). */
  maxFindings?: number;
  /** The worker's heap limit: past it, the input being read is a memory finding. */
  maxHeapMb?: number;
  /** Overrides the target's own per-input limit. */
  hangMs?: number;
  outDir?: string;
  /** Progress lines (every few seconds); none when absent. */
  log?: (line: string) => void;
}

/** What the worker is told. */
export interface WorkerTask {
  entry: string;
  target: string;
  seed: number;
  start: number;
  end: number;
  deadline: number;
  hangMs: number;
  maxFindings: number;
  progress: SharedArrayBuffer;
}

/** What the worker says. */
export type WorkerMessage =
  | { type: 'progress'; done: number; heapMb: number }
  | { type: 'finding'; kind: 'exception' | 'oracle' | 'slow'; index: number; message: string; stack?: string; input: FuzzInput }
  | { type: 'done'; done: number; slowest: SlowInput[]; heapMb: number };

export const DEFAULT_OUT_DIR = 'test-results/fuzz';
const POLL_MS = 200;

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
  return target.generate(material, Rng.forInput(seed, targetName, index));
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
  let peakHeapMb = 0;
  let next = 0;
  let lastLog = performance.now();

  while (next < options.count && Date.now() < deadline && findings.length < maxFindings) {
    const progress = new SharedArrayBuffer(8);
    const cursor = new Int32Array(progress);
    Atomics.store(cursor, 0, -1);
    const task: WorkerTask = {
      entry: new URL('./worker.ts', import.meta.url).href,
      target: options.target,
      seed: options.seed,
      start: next,
      end: Math.min(options.count, Number.MAX_SAFE_INTEGER),
      deadline,
      hangMs,
      maxFindings: maxFindings - findings.length,
      progress,
    };
    const worker = new Worker(new URL('./worker-shim.mjs', import.meta.url), {
      workerData: task,
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 1536 },
      stdout: false,
      stderr: false,
    });
    const outcome = await new Promise<{ kind: 'done'; done: number } | { kind: 'hang' | 'memory' | 'crash'; index: number; message: string; stack?: string }>((resolve) => {
      let lastIndex = -1;
      let lastMove = performance.now();
      let settled = false;
      const finish = (o: Parameters<typeof resolve>[0]) => {
        if (settled) return;
        settled = true;
        clearInterval(timer);
        resolve(o);
      };
      const current = () => Math.max(task.start, Atomics.load(cursor, 0));
      const timer = setInterval(() => {
        const index = Atomics.load(cursor, 0);
        const now = performance.now();
        if (index !== lastIndex) {
          lastIndex = index;
          lastMove = now;
        } else if (index >= 0 && now - lastMove > hangMs) {
          finish({ kind: 'hang', index, message: `input ${index} still running after ${Math.round((now - lastMove) / 1000)} s (limit ${hangMs / 1000} s)` });
          void worker.terminate();
        }
        if (options.log && now - lastLog > 5000) {
          lastLog = now;
          const done = Math.max(0, index);
          const secs = (now - started) / 1000;
          options.log(`${options.target}: ${done.toLocaleString('en-US')} inputs, ${Math.round(done / secs).toLocaleString('en-US')}/s, heap ${peakHeapMb} MB, ${findings.length} findings`);
        }
      }, POLL_MS);
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') peakHeapMb = Math.max(peakHeapMb, m.heapMb);
        else if (m.type === 'finding') {
          const finding: Finding = { kind: m.kind, target: options.target, seed: options.seed, index: m.index, message: m.message, ...(m.stack ? { stack: m.stack } : {}) };
          finding.saved = saveFinding(outDir, finding, m.input);
          findings.push(finding);
          options.log?.(`${options.target}: ${m.kind} at input ${m.index}: ${m.message.slice(0, 300)} (saved ${finding.saved}.bin)`);
        } else {
          peakHeapMb = Math.max(peakHeapMb, m.heapMb);
          slowest.push(...m.slowest);
          finish({ kind: 'done', done: m.done });
        }
      });
      worker.on('error', (e: Error & { code?: string }) => {
        const memory = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
        finish({ kind: memory ? 'memory' : 'crash', index: current(), message: memory ? `input ${current()} took the worker past its heap limit` : `the worker died: ${e.message}`, ...(e.stack ? { stack: e.stack } : {}) });
      });
      worker.on('exit', (code) => finish({ kind: 'crash', index: current(), message: `the worker exited with code ${code} before finishing` }));
    });
    if (outcome.kind === 'done') {
      next = outcome.done;
      await worker.terminate();
      break;
    }
    await worker.terminate();
    const input = await regenerate(options.target, options.seed, outcome.index).catch(() => undefined);
    const finding: Finding = { kind: outcome.kind, target: options.target, seed: options.seed, index: outcome.index, message: outcome.message, ...(outcome.stack ? { stack: outcome.stack } : {}) };
    finding.saved = saveFinding(outDir, finding, input);
    findings.push(finding);
    options.log?.(`${options.target}: ${outcome.kind} at input ${outcome.index}: ${outcome.message} (saved ${finding.saved}.bin)`);
    next = outcome.index + 1;
  }
  const seconds = (performance.now() - started) / 1000;
  slowest.sort((a, b) => b.ms - a.ms);
  return { target: options.target, seed: options.seed, inputs: next, seconds, perSecond: next / seconds, slowest: slowest.slice(0, 5), peakHeapMb, findings };
}
