/**
 * The worker process of the fuzz loop: makes inputs start..end of one target, feeds each to the
 * checker, and says what failed. It names each input before reading it, so the main process
 * knows which input hung or crashed even when this process never speaks again.
 */
import type { SlowInput, WorkerMessage, WorkerTask } from './engine.ts';
import { Rng } from './rng.ts';
import { FuzzFailure, type FuzzInput } from './target.ts';
import { targetNamed } from './targets/index.ts';

const post = (m: WorkerMessage) => process.send!(m);
// The main process gone (stopped, killed): nobody is counting, so stop too.
process.on('disconnect', () => process.exit(0));
const rssMb = () => Math.round(process.memoryUsage.rss() / 1024 / 1024);

const task = await new Promise<WorkerTask>((resolve) => process.once('message', (m) => resolve(m as WorkerTask)));
const target = targetNamed(task.target);
const material = await target.load();
const checker = await target.open(material);

const slowest: SlowInput[] = [];
let findings = 0;
let current: { index: number; input: FuzzInput } | undefined;
// A rejection nobody handles kills a Node server (the default since Node 15): a finding, pinned on
// the input being read (pdfjs rejects while opening, before the import returns).
process.on('unhandledRejection', (reason) => {
  const err = reason instanceof Error ? reason : new Error(String(reason));
  if (!current) return;
  findings++;
  post({ type: 'finding', kind: 'exception', index: current.index, message: `unhandled rejection: ${err.name}: ${err.message}`, ...(err.stack ? { stack: err.stack } : {}), input: current.input });
});
let lastProgress = performance.now();
let index = task.start;
for (; index < task.end && Date.now() < task.deadline && findings < task.maxFindings; index++) {
  post({ type: 'at', index });
  const input = await target.generate(material, Rng.forInput(task.seed, task.target, index));
  current = { index, input };
  const t0 = performance.now();
  try {
    await checker.check(input);
  } catch (e) {
    findings++;
    const err = e instanceof Error ? e : new Error(String(e));
    post({ type: 'finding', kind: e instanceof FuzzFailure ? 'oracle' : 'exception', index, message: `${err.name}: ${err.message}`, ...(err.stack ? { stack: err.stack } : {}), input });
  }
  const ms = performance.now() - t0;
  if (ms > task.hangMs && findings < task.maxFindings) {
    findings++;
    post({ type: 'finding', kind: 'slow', index, message: `input ${index} took ${Math.round(ms)} ms (limit ${task.hangMs} ms)`, input });
  }
  if (slowest.length < 5 || ms > slowest[slowest.length - 1]!.ms) {
    slowest.push({ index, ms: Math.round(ms * 10) / 10, bytes: input.bytes.length });
    slowest.sort((a, b) => b.ms - a.ms);
    slowest.length = Math.min(slowest.length, 5);
  }
  if (performance.now() - lastProgress > 1000) {
    lastProgress = performance.now();
    post({ type: 'progress', done: index + 1, rssMb: rssMb() });
  }
}
await checker.close?.();
post({ type: 'done', done: index, slowest, rssMb: rssMb() });
// The main process kills this one once it has the report; a store or pdfjs handle may keep it alive otherwise.
