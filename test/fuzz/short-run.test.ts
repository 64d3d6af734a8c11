/**
 * The short fuzz run of `npm test`: every target of fuzz/ (the importers and the web API) fed a
 * few thousand mutated inputs (fewer for PDF and the API, whose inputs cost milliseconds each)
 * under a fixed seed, so the run is the same every time. Each target runs in its own worker
 * process with a heap limit and a hang watchdog (fuzz/engine.ts); any finding fails the test
 * and its input is saved under test-results/fuzz-short/ with the command that replays it.
 * `npm run fuzz` is the long run (docs/fuzzing.md).
 */
import { describe, expect, it } from 'vitest';
import { fuzzTarget } from '../../fuzz/engine.ts';
import { KNOWN_FINDINGS } from '../../fuzz/known.ts';
import { TARGET_NAMES } from '../../fuzz/targets/index.ts';

const SEED = 20_261_128;
/** Inputs per target: about 25 s for all of them on an idle 2-core machine (docs/fuzzing.md). */
const COUNTS: Record<string, number> = { text: 3000, json: 2500, csv: 4000, pdf: 120, xlsx: 200, api: 600 };

describe('the short fuzz run', () => {
  it('has a count for every target', () => {
    for (const name of TARGET_NAMES) expect(COUNTS[name], name).toBeGreaterThan(0);
  });

  it.each(TARGET_NAMES.map((t) => [t, COUNTS[t] ?? 0] as const))('%s: %i mutated inputs, no exception, no failed oracle, no hang, no 5xx', async (target, count) => {
    const report = await fuzzTarget({ target, seed: SEED, count, outDir: 'test-results/fuzz-short', maxFindings: 3, known: KNOWN_FINDINGS[target] ?? [] });
    expect(report.findings.map((f) => `${f.kind} at input ${f.index}: ${f.message.slice(0, 500)}\n  replay: node --import tsx fuzz/run.ts --replay ${f.saved}.json`)).toEqual([]);
    expect(report.inputs).toBe(count);
  }, 600_000);
});
