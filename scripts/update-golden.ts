/**
 * Regenerates the golden files of the text format: for every fixture document under
 * test/fixtures/text/ (not bad/), its hoshin-plan/2 JSON and its re-rendered text. The chart
 * goldens are refreshed by running their test with UPDATE_CHART_GOLDEN=1.
 * Review the diff before committing: a golden file changes only when behaviour should.
 *   node --import tsx scripts/update-golden.ts
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, renderDocument } from '../src/formats/index.ts';

const fixtures = 'test/fixtures/text';
const golden = 'test/fixtures/golden';
for (const name of readdirSync(fixtures).filter((n) => n.endsWith('.txt'))) {
  const result = parseDocument(readFileSync(join(fixtures, name)), name);
  if (!result.plan) {
    console.error(`${name}: refused`, result.diagnostics);
    process.exitCode = 1;
    continue;
  }
  const base = name.replace(/\.txt$/, '');
  writeFileSync(join(golden, `${base}.json`), renderDocument(result.plan, 'json'));
  writeFileSync(join(golden, `${base}.rendered.txt`), renderDocument(result.plan, 'text'));
  console.log(`${name}: ok`);
}
