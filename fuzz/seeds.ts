/**
 * Seed inputs, built at run time from the repository's fixtures (nothing is copied into fuzz/):
 * every text fixture, every plan JSON fixture and every text fixture rendered as /1 and /2
 * JSON, measurement CSVs written from the PDCA fixture's indicators, and PDFs laid out from
 * text fixtures the way test/formats/pdf does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { csvIndicators } from '../src/app/checks.ts';
import { measurementsCsvTemplate, type CsvIndicator } from '../src/formats/csv/measurements.ts';
import { parseDocument, renderDocument } from '../src/formats/index.ts';
import type { Plan } from '../src/domain/plan.ts';
import { encodeShiftJis } from '../test/support/cp932.ts';
import { utf8 } from './mutate.ts';

export const REPO = fileURLToPath(new URL('../', import.meta.url));
const FIXTURES = join(REPO, 'test', 'fixtures');

export interface Seed {
  name: string;
  bytes: Uint8Array;
}

function listFiles(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), pattern) : pattern.test(e.name) ? [join(dir, e.name)] : []))
    .sort();
}

const read = (path: string): Seed => ({ name: relative(FIXTURES, path), bytes: new Uint8Array(readFileSync(path)) });

/** Every text fixture: the layouts' variants, real excerpts, yearless and the malformed ones. */
export function textSeeds(): Seed[] {
  return listFiles(FIXTURES, /\.txt$/).filter((p) => !p.includes(`${join('fixtures', 'golden')}`)).map(read);
}

/** Plans read from the text fixtures that read into one. */
export function fixturePlans(): { name: string; plan: Plan }[] {
  return textSeeds().flatMap((s) => {
    const { plan } = parseDocument(s.bytes, s.name);
    return plan ? [{ name: s.name, plan }] : [];
  });
}

/** The PDCA fixture (indicators, measurements, reviews) and the goldens, and every readable text fixture as /2 and /1. */
export function jsonSeeds(): Seed[] {
  const files = [...listFiles(join(FIXTURES, 'json'), /\.json$/), ...listFiles(join(FIXTURES, 'golden'), /\.json$/)].map(read);
  const rendered = fixturePlans().flatMap(({ name, plan }) => [
    { name: `${name} as /2`, bytes: utf8(renderDocument(plan, 'json')) },
    { name: `${name} as /1`, bytes: utf8(renderDocument(plan, 'json1')) },
  ]);
  return [...files, ...rendered];
}

export function pdcaPlan(): Plan {
  const { plan, diagnostics } = parseDocument(readFileSync(join(FIXTURES, 'json', 'osaka-nishi-2017-pdca.json')), 'pdca.json');
  if (!plan) throw new Error(`the PDCA fixture does not read: ${JSON.stringify(diagnostics)}`);
  return plan;
}

/** The indicators a CSV may name: the PDCA fixture's, as the upload page offers them. */
export function csvSeedIndicators(): CsvIndicator[] {
  return csvIndicators(pdcaPlan());
}

/** Measurement CSVs as staff make them in Excel: the template filled in, by id, by label, by statement, in Shift_JIS, with quotes. */
export function csvSeeds(indicators: readonly CsvIndicator[]): Seed[] {
  const template = measurementsCsvTemplate(indicators);
  const rows = template.replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '');
  const filled = [rows[0], ...rows.slice(1).map((row, i) => row.replace(/,,(,*)$/, `,2017-${String(4 + (i % 9)).padStart(2, '0')}-${String(1 + i).padStart(2, '0')},${(i * 12.5).toFixed(1)}$1`))].join('\r\n');
  const ind = indicators[0] ?? { id: 'x', label: '1-1 指標1', statement: '指標' };
  const byLabel = `指標,日付,値,備考\r\n${indicators.map((x, i) => `${x.label},平成29年${1 + (i % 12)}月${1 + i}日,"1,${i}00",中間報告`).join('\r\n')}\r\n`;
  const byStatement = `指標,測定日,実績値,出典\n${indicators.map((x, i) => `"${x.statement.replace(/"/g, '""')}",R1.${1 + (i % 12)}.1,△${i},区民アンケート`).join('\n')}\n`;
  const quoted = `\uFEFF指標ID,日付,値,備考,出典\r\n${ind.id},2017-09-30,34.1,"中間, ""速報""\r\n二行目",区\r\n,,,,\r\n${ind.id},2017/10/1,"1,234",,\r\n`;
  return [
    { name: 'template', bytes: utf8(template) },
    { name: 'filled', bytes: utf8(filled) },
    { name: 'by label', bytes: utf8(byLabel) },
    { name: 'by statement (LF)', bytes: utf8(byStatement) },
    { name: 'quoted, BOM', bytes: utf8(quoted) },
    { name: 'by label, Shift_JIS', bytes: encodeShiftJis(byLabel.replace(/[^\u0000-\u007f\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/g, '')) },
  ];
}
