/**
 * `npm run fuzz`: the long fuzz run. Every target by default, at least 100,000 inputs each;
 * prints each target's count, inputs per second and slowest inputs, saves every finding's input
 * under test-results/fuzz/, and exits non-zero when there was one.
 *
 *   node --import tsx fuzz/run.ts [--target text,json] [--count N] [--seconds S] [--seed N]
 *   node --import tsx fuzz/run.ts --target json --seed 1 --index 4711     replay one input
 *   node --import tsx fuzz/run.ts --replay test-results/fuzz/json-s1-i4711.json
 */
import { KNOWN_FINDINGS } from './known.ts';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_OUT_DIR, fuzzTarget, regenerate, type TargetReport } from './engine.ts';
import type { FuzzInput } from './target.ts';
import { TARGET_NAMES, targetNamed } from './targets/index.ts';

const DEFAULT_COUNT = 100_000;

const { values } = parseArgs({
  options: {
    target: { type: 'string' },
    count: { type: 'string' },
    seconds: { type: 'string' },
    seed: { type: 'string' },
    index: { type: 'string' },
    replay: { type: 'string' },
    'max-findings': { type: 'string' },
    'hang-ms': { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

function usage(): never {
  console.log(`usage: node --import tsx fuzz/run.ts [--target ${TARGET_NAMES.join(',')}] [--count N] [--seconds S] [--seed N]
       [--max-findings N] [--hang-ms MS] [--out DIR]
       node --import tsx fuzz/run.ts --target T --seed N --index I     (replay input I)
       node --import tsx fuzz/run.ts --replay ${DEFAULT_OUT_DIR}/T-sN-iI.json      (replay a saved input)
Without --count or --seconds each target reads ${DEFAULT_COUNT.toLocaleString('en-US')} inputs.`);
  process.exit(2);
}

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name}: not a number: ${value}`);
    usage();
  }
  return n;
}

/** Feeds one input in this thread and prints what happened, with the full stack. */
async function replay(targetName: string, input: FuzzInput): Promise<number> {
  const about = `${input.bytes.length} bytes, ${JSON.stringify(input.meta).slice(0, 400)}`;
  const target = targetNamed(targetName);
  const checker = await target.open(await target.load());
  const t0 = performance.now();
  let failure: unknown;
  try {
    await checker.check(input);
  } catch (e) {
    failure = e ?? new Error('undefined thrown');
  }
  const ms = Math.round(performance.now() - t0);
  // Closed before printing: the API checker holds console.error to keep the app's logs with a finding.
  await checker.close?.();
  if (failure === undefined) {
    console.log(`${targetName}: passed in ${ms} ms (${about})`);
    return 0;
  }
  console.error(`${targetName}: failed after ${ms} ms (${about})`);
  console.error(failure);
  return 1;
}

if (values.help) usage();
const seed = int('seed', values.seed) ?? Date.now() % 1_000_000;

if (values.replay) {
  const saved = JSON.parse(readFileSync(values.replay, 'utf8')) as { target: string; meta: Record<string, unknown> };
  const bytes = new Uint8Array(readFileSync(values.replay.replace(/\.json$/, '.bin')));
  process.exit(await replay(saved.target, { bytes, meta: saved.meta ?? {} }));
}

const targets = (values.target ?? TARGET_NAMES.join(',')).split(',').map((t) => t.trim()).filter((t) => t !== '');
for (const t of targets) targetNamed(t);

const index = int('index', values.index);
if (index !== undefined) {
  if (targets.length !== 1 || values.seed === undefined) {
    console.error('--index needs one --target and the --seed of the run');
    usage();
  }
  process.exit(await replay(targets[0]!, await regenerate(targets[0]!, seed, index)));
}

const seconds = int('seconds', values.seconds);
const count = int('count', values.count) ?? (seconds === undefined ? DEFAULT_COUNT : Infinity);
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
log(`seed ${seed}; ${targets.join(', ')}; ${count === Infinity ? 'no count limit' : `${count.toLocaleString('en-US')} inputs`} each${seconds === undefined ? '' : `, at most ${seconds} s each`}`);

const reports: TargetReport[] = [];
for (const target of targets) {
  const report = await fuzzTarget({
    target, seed, count,
    ...(seconds === undefined ? {} : { seconds }),
    ...(values['max-findings'] ? { maxFindings: int('max-findings', values['max-findings'])! } : {}),
    ...(values['hang-ms'] ? { hangMs: int('hang-ms', values['hang-ms'])! } : {}),
    ...(values.out ? { outDir: values.out } : {}),
    known: KNOWN_FINDINGS[target] ?? [],
    log,
  });
  reports.push(report);
  log(`${target}: ${report.inputs.toLocaleString('en-US')} inputs in ${report.seconds.toFixed(1)} s, ${Math.round(report.perSecond).toLocaleString('en-US')}/s, worker RSS ≤ ${report.peakRssMb} MB, ${report.findings.length} findings; slowest ${report.slowest.map((s) => `#${s.index} ${s.ms} ms (${s.bytes} B)`).join(', ')}`);
}

console.log('\ntarget  inputs      seconds  inputs/s  worker RSS MB  findings');
for (const r of reports) {
  console.log(`${r.target.padEnd(7)} ${r.inputs.toLocaleString('en-US').padStart(10)}  ${r.seconds.toFixed(1).padStart(7)}  ${Math.round(r.perSecond).toLocaleString('en-US').padStart(8)}  ${String(r.peakRssMb).padStart(13)}  ${r.findings.length}`);
}
for (const r of reports) {
  if (r.stalls > 0) console.log(`${r.target}: ${r.stalls} stalls (no progress for the limit, but the input read in time alone; not counted)`);
  for (const [sig, n] of Object.entries(r.known)) console.log(`${r.target}: known finding ${n}× ${sig.slice(0, 160)}`);
  for (const [sig, n] of Object.entries(r.repeats)) console.log(`${r.target}: ${n} more of ${sig.slice(0, 160)}`);
}
const findings = reports.flatMap((r) => r.findings);
for (const f of findings) console.log(`\n${f.kind} in ${f.target} (input ${f.index}): ${f.message}\n  saved: ${f.saved}.bin / .json\n  replay: node --import tsx fuzz/run.ts --replay ${f.saved}.json`);
console.log(`\nseed ${seed}: ${findings.length === 0 ? 'no findings' : `${findings.length} findings`}`);
process.exit(findings.length === 0 ? 0 : 1);
