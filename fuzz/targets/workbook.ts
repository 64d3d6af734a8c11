/**
 * The xlsx reader (src/formats/xlsx/read.ts through the document reader's worker), fed Hoshin's own
 * workbooks (renderPlanXlsx of fixture plans) mutated three ways: a part's XML mutated and the
 * zip written again with good CRCs (reaches exceljs's XML parsing and the cell reader), the
 * zip's parts dropped, duplicated or renamed, and the zip's bytes mutated (the archive guard).
 */
import { DocumentReader } from '../../src/app/read-document.ts';
import { isZip } from '../../src/formats/xlsx/archive.ts';
import { renderPlanXlsx } from '../../src/formats/xlsx/render.ts';
import { EDGE_CHARS, ERA_WORDS, HUGE_NUMBERS, mutateBytes, PROTOTYPE_KEYS, type MutateOptions } from '../mutate.ts';
import { checkDiagnostics, checkParseResult } from '../oracles.ts';
import type { Rng } from '../rng.ts';
import { fixturePlans, pdcaPlan } from '../seeds.ts';
import { expectThat, type Target } from '../target.ts';
import { readZip, writeZip, type ZipEntry } from '../../test/support/zip.ts';

/** XML that breaks parsers or cell readers: entities, DOCTYPEs, cell types, formulas, merges, huge references. */
const XML_WORDS = [
  '<c r="A1" t="s"><v>0</v></c>', '<c r="XFD1048576"><v>1</v></c>', '<c r="A0"><v>1</v></c>', '<c r="ZZZZ1" t="str"><v>x</v></c>', '<c t="e"><v>#REF!</v></c>', '<c t="b"><v>1</v></c>',
  '<c t="d"><v>2017-13-45</v></c>', '<c t="inlineStr"><is><t>あ</t></is></c>', '<f>1/0</f>', '<f>HYPERLINK("http://x")</f>', '<v>1e309</v>', '<v>NaN</v>', '<v>-0</v>', '<v></v>', '<v>99999999</v>',
  '<row r="1048577">', '<row r="0">', '</row>', '<row>', '<mergeCell ref="A1:XFD1048576"/>', '<mergeCell ref="B2:A1"/>', '<mergeCells count="-1">', '<sheetData/>', '</sheetData>',
  '<si><t>あ</t></si>', '<si><r><t>a</t></r><r><t>b</t></r></si>', '<t xml:space="preserve"> </t>', '&amp;', '&lt;', '&#0;', '&#xFFFF;', '&#x1F600;', '&undefined;', '<![CDATA[x]]>', '<!-- -->',
  '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', '&e;', '&b;',
  '<sheet name="様式1" sheetId="1" r:id="rId1"/>', '<sheet name="__proto__" sheetId="99" r:id="rId99"/>', 'state="hidden"', 'state="veryHidden"', '<definedName name="_xlnm.Print_Area">', 'r:id="rId999"',
  '<cols><col min="1" max="16384" width="1e9"/></cols>', '<hyperlink ref="A1" r:id="rId1"/>', '<dataValidation type="list">', 's="9999"', 't="n"', 't="s"', 'r="A1"', '"', '<', '>', '/>', '=',
];

const PART_WEIGHT = (name: string) => (/worksheets\/sheet\d+\.xml$/.test(name) ? 6 : /sharedStrings|workbook\.xml$/.test(name) ? 4 : /\.rels$|Content_Types|styles/.test(name) ? 2 : 1);

interface WorkbookMaterial {
  seeds: Uint8Array[];
  parts: ZipEntry[][];
  xml: MutateOptions;
  bytes: MutateOptions;
}

function mutateParts(rng: Rng, parts: ZipEntry[], xml: MutateOptions): { entries: ZipEntry[]; what: string } {
  const entries = parts.map((e) => ({ ...e }));
  if (rng.chance(0.85)) {
    const i = entries.indexOf(rng.weighted(entries.map((e) => [PART_WEIGHT(e.name), e] as const)));
    const entry = entries[i]!;
    entries[i] = { name: entry.name, data: mutateBytes(rng, { ...xml, seeds: [entry.data] }, entry.data).bytes };
    return { entries, what: `part ${entry.name}` };
  }
  switch (rng.int(4)) {
    case 0: {
      const [gone] = entries.splice(rng.int(entries.length), 1);
      return { entries, what: `dropped ${gone?.name}` };
    }
    case 1: {
      const copy = rng.pick(entries);
      entries.push({ ...copy });
      return { entries, what: `duplicated ${copy.name}` };
    }
    case 2: {
      const e = rng.pick(entries);
      e.name = rng.pick([`${e.name}x`, e.name.toUpperCase(), `../${e.name}`, '/'.concat(e.name), `xl/worksheets/sheet${rng.int(99)}.xml`]);
      return { entries, what: `renamed to ${e.name}` };
    }
    default: {
      // One part inflated far beyond its size: the archive guard's job.
      const e = rng.pick(entries);
      e.data = new Uint8Array(Math.min(rng.pick([1, 8, 80]) * 1024 * 1024, 100 * 1024 * 1024)).fill(0x20);
      return { entries, what: `inflated ${e.name} to ${e.data.length} bytes` };
    }
  }
}

export const xlsxTarget: Target<WorkbookMaterial> = {
  name: 'xlsx',
  hangMs: 60_000,
  async load() {
    const plans = [{ name: 'pdca', plan: pdcaPlan() }, ...fixturePlans().filter((p) => /osaka-nishi-2017\.txt|yokohama-higashihama-2024\.txt|sakai/.test(p.name)).slice(0, 3)];
    const seeds: Uint8Array[] = [];
    for (const { plan } of plans) seeds.push(await renderPlanXlsx(plan, { creationDate: new Date(Date.UTC(2017, 3, 1)) }));
    const parts = seeds.map((s) => readZip(s)).filter((p): p is ZipEntry[] => p !== undefined);
    if (parts.length === 0) throw new Error('renderPlanXlsx wrote no zip the fuzzer can read');
    const dictionary = [...XML_WORDS, ...PROTOTYPE_KEYS, ...EDGE_CHARS.slice(0, 20), ...HUGE_NUMBERS.slice(0, 12), ...ERA_WORDS.slice(0, 6)];
    return { seeds, parts, xml: { seeds: [], dictionary, maxBytes: 4 * 1024 * 1024 }, bytes: { seeds, dictionary: ['PK\u0003\u0004', 'PK\u0001\u0002', 'PK\u0005\u0006', ...dictionary.slice(0, 10)], maxBytes: 4 * 1024 * 1024 } };
  },
  async generate({ seeds, parts, xml, bytes }, rng) {
    const how = rng.weighted([[75, 'parts'], [20, 'bytes'], [3, 'seed'], [2, 'name']] as const);
    if (how === 'parts') {
      const { entries, what } = mutateParts(rng, rng.pick(parts), xml);
      return { bytes: writeZip(entries), meta: { how, what, fileName: 'plan.xlsx' } };
    }
    if (how === 'bytes') {
      const m = mutateBytes(rng, bytes);
      return { bytes: m.bytes, meta: { how, mutations: m.mutations, fileName: rng.pick(['plan.xlsx', 'plan.XLSX', undefined]) } };
    }
    // Not a zip at all, named .xlsx: the reader must still refuse it in Japanese.
    if (how === 'name') return { bytes: mutateBytes(rng, { ...bytes, seeds: [new TextEncoder().encode('平成29年度 西区運営方針\n')] }).bytes, meta: { how, fileName: 'plan.xlsx' } };
    return { bytes: rng.pick(seeds), meta: { how, fileName: 'plan.xlsx' } };
  },
  async open() {
    // As `hoshin import` and the upload page read it: in a worker thread with a time limit.
    const reader = new DocumentReader({ timeoutMs: 30_000, readsPerWorker: 5_000 });
    return {
      async check({ bytes, meta }) {
        const fileName = meta['fileName'] as string | undefined;
        const result = await reader.read(bytes, fileName);
        // A zip, or a name ending .xlsx, is read as a workbook (a damaged header with no name is read as text).
        if (isZip(bytes) || /\.xlsx$/i.test(fileName ?? '')) expectThat(result.format === 'xlsx', `a workbook read as ${result.format}`);
        checkDiagnostics(result.diagnostics);
        checkParseResult(result);
      },
      close: () => reader.close(),
    };
  },
};
