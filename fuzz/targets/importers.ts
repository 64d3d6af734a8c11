/**
 * The importers: text (every layout profile, forced or detected, with or without a given
 * year), hoshin-plan JSON (/1 and /2), measurement CSV and PDF, each fed mutated seeds.
 */
import { MAX_ABS_VALUE, MAX_CSV_PROBLEMS, MAX_NOTE_CHARS, MAX_SOURCE_CHARS, formatCsvProblem, readMeasurementsCsv, type CsvIndicator } from '../../src/formats/csv/measurements.ts';
import { DocumentReader } from '../../src/app/read-document.ts';
import { isPdf, parseDocument, parseDocumentAsync } from '../../src/formats/index.ts';
import { LAYOUT_NAMES } from '../../src/formats/text/profiles/index.ts';
import { EDGE_CHARS, ERA_WORDS, HUGE_NUMBERS, mutateBytes, mutateJsonText, PROTOTYPE_KEYS, utf8, type MutateOptions } from '../mutate.ts';
import { checkDiagnostics, checkParseResult, lineCount } from '../oracles.ts';
import { pdfSeeds } from '../pdf-seeds.ts';
import type { Rng } from '../rng.ts';
import { csvSeedIndicators, csvSeeds, jsonSeeds, textSeeds } from '../seeds.ts';
import { expectThat, JAPANESE, type Target } from '../target.ts';

const MAX_INPUT = 1024 * 1024;

/** Words of the plan layouts: headings, labels, units, eras. */
const TEXT_WORDS = [
  '【経営課題', '【戦略', '【取組', '】', '経営課題の概要', '主な具体的取組', '主な取組項目\t取組内容', '目標(何をめざすのか)', '使命(どのような役割を担うのか)',
  '運営の基本方針', '自己評価', '予算額', '千円', '百万円', '億円', '区CM', '算定見込額', '年度', '運営方針', '(案)', '(素案)', '(区長:', '平成29年度 西区運営方針',
  '令和6年度 東浜区運営方針', '1-1', '1-1-1', '1-1-1-1', '\t', '- ・', '・', '◆', '◆計画', '◆自己評価', '基本目標', '施策', '目標1', '局の目標', '重点的に取り組む経営課題',
  'アウトカム指標', 'プロセス指標', '指標', '目標値', '達成', '未達成', '中間振り返り', '(1)', '①', 'T', 'U', 'V', '考え方', '行財政改革', '今年度は特に以下のことについて重点的に取り組みます',
  '区役所', '東区', '【全体概要】', '「市政改革プラン」に基づく取組等', '- 3 -', '1 東区のまちづくりの目標', '~', '。', '、', ' ', '\u3000',
];
const JSON_WORDS = ['{', '}', '[', ']', ':', ',', '"', '\\', '\\u0000', '\\ud800', 'null', 'true', '1e999', '"format"', '"hoshin-plan/2"', '"issues"', '"strategies"', '"initiatives"', '"indicators"', '"budgetThousandYen"', '"__proto__"', '"constructor"', '[[[[[[[[[[', '{"__proto__":{"polluted":1}}'];
const CSV_WORDS = ['"', '""', ',', '\r\n', '\n', '\r', ',,,,', '指標ID', '指標', '日付', '値', '備考', '出典', '測定日', '実績値', 'データソース', '=1+1', '=HYPERLINK("x")', '@SUM(A1)', '+1', '-1', 'R1.5.1', '平成31年4月31日', '△2', '▲3', '１２３', '1,234', '"1,234"', '1-1 指標1', 'ind-a', '\uFEFF'];
const PDF_WORDS = [
  'obj', 'endobj', 'stream', 'endstream', '/Length 0', '/Length 99999999', 'xref', 'trailer', 'startxref', '%%EOF', '<<', '>>', '[', ']', '/Type /Page', '/Type /Pages',
  '/Count 99999999', '/Count -1', '/Kids [1 0 R]', '/Parent 1 0 R', '/Filter /FlateDecode', '/Filter /LZWDecode', '/Encrypt 1 0 R', '/Root 1 0 R', '/Font', 'BT', 'ET', 'Tj', 'TJ', 'Tf', 'Td', 'Tm', 'cm', 'q', 'Q',
  '/MediaBox [0 0 0 0]', '/MediaBox [0 0 1e30 1e30]', '/Rotate 45', '0 0 R', '99999 0 R', '/ToUnicode', 'begincmap', 'beginbfchar', '<0000>', '<FFFF>', '(\\376\\377)', '/Widths [', '/FontFile2',
];

function words(extra: readonly string[]): string[] {
  return [...extra, ...PROTOTYPE_KEYS, ...EDGE_CHARS.slice(0, 20), ...HUGE_NUMBERS.slice(0, 12), ...ERA_WORDS.slice(0, 8)];
}

interface BytesMaterial {
  options: MutateOptions;
  names: readonly string[];
}

function bytesMaterial(seeds: readonly Uint8Array[], dictionary: readonly string[], maxBytes = MAX_INPUT): MutateOptions {
  return { seeds, dictionary, maxBytes };
}

/** Now and then an input that is not a mutated seed at all: empty, tiny, random, or a dictionary word alone. */
function oddInput(rng: Rng, options: MutateOptions): Uint8Array | undefined {
  if (!rng.chance(0.03)) return undefined;
  switch (rng.int(4)) {
    case 0: return new Uint8Array(0);
    case 1: return Uint8Array.from({ length: rng.int(64) }, () => rng.int(256));
    case 2: return utf8(rng.pick(options.dictionary));
    default: return utf8(rng.pick(options.dictionary).repeat(1 + rng.int(10_000)));
  }
}

// ---------------------------------------------------------------- text

export const textTarget: Target<BytesMaterial> = {
  name: 'text',
  hangMs: 20_000,
  async load() {
    return { options: bytesMaterial(textSeeds().map((s) => s.bytes), words(TEXT_WORDS)), names: ['plan.txt', 'plan.TXT', 'plan.json', 'plan.pdf', 'plan', ''] };
  },
  generate({ options, names }, rng) {
    const odd = oddInput(rng, options);
    const { bytes, mutations } = odd ? { bytes: odd, mutations: ['odd'] } : rng.chance(0.03) ? { bytes: rng.pick(options.seeds), mutations: [] } : mutateBytes(rng, options);
    const meta: Record<string, unknown> = { mutations };
    if (rng.chance(0.8)) meta['fileName'] = rng.pick(names);
    // Forced layouts (and a name that is none) and a given year, as --layout and the upload form's year do.
    if (rng.chance(0.25)) meta['layout'] = rng.chance(0.9) ? rng.pick(LAYOUT_NAMES) : rng.pick(['', 'nonexistent', '__proto__', 'constructor']);
    if (rng.chance(0.2)) meta['fiscalYear'] = rng.pick([2024, 2017, 1989, 2200, 0, -1, 1e9, 2024.5]);
    return { bytes, meta };
  },
  async open() {
    return {
      async check({ bytes, meta }) {
        const fileName = meta['fileName'] as string | undefined;
        const layout = meta['layout'] as string | undefined;
        const fiscalYear = meta['fiscalYear'] as number | undefined;
        if (layout === undefined && fiscalYear === undefined) {
          checkParseResult(parseDocument(bytes, fileName), { lines: lineCount(bytes) });
        } else {
          const result = await parseDocumentAsync(bytes, fileName, { ...(layout === undefined ? {} : { layout }), ...(fiscalYear === undefined ? {} : { fiscalYear }) });
          checkParseResult(result, { lines: lineCount(bytes) });
        }
      },
    };
  },
};

// ---------------------------------------------------------------- JSON

interface JsonMaterial extends BytesMaterial {
  texts: readonly string[];
}

export const jsonTarget: Target<JsonMaterial> = {
  name: 'json',
  hangMs: 20_000,
  async load() {
    const seeds = jsonSeeds().map((s) => s.bytes);
    return { options: bytesMaterial(seeds, words(JSON_WORDS)), names: ['plan.json', 'plan.JSON', 'plan.txt', ''], texts: seeds.map((b) => new TextDecoder().decode(b)) };
  },
  generate({ options, names, texts }, rng) {
    const odd = oddInput(rng, options);
    let bytes: Uint8Array;
    const mutations: string[] = [];
    if (odd) {
      bytes = odd;
      mutations.push('odd');
    } else {
      // Mostly edits of the values (valid JSON that reaches the schema and the plan rules), some of the bytes too.
      const how = rng.weighted([[7, 'values'], [2, 'bytes'], [1, 'both']] as const);
      const seed = rng.int(texts.length);
      bytes = how === 'bytes' ? options.seeds[seed]! : utf8(mutateJsonText(rng, texts[seed]!));
      if (how !== 'values') {
        const m = mutateBytes(rng, options, bytes);
        bytes = m.bytes;
        mutations.push(...m.mutations);
      }
      mutations.unshift(how);
    }
    return { bytes, meta: { mutations, ...(rng.chance(0.8) ? { fileName: rng.pick(names) } : {}) } };
  },
  async open() {
    return {
      async check({ bytes, meta }) {
        checkParseResult(parseDocument(bytes, meta['fileName'] as string | undefined), { lines: lineCount(bytes) });
      },
    };
  },
};

// ---------------------------------------------------------------- measurement CSV

interface CsvMaterial {
  options: MutateOptions;
  indicators: CsvIndicator[];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const csvTarget: Target<CsvMaterial> = {
  name: 'csv',
  hangMs: 20_000,
  async load() {
    const indicators = csvSeedIndicators();
    return { options: bytesMaterial(csvSeeds(indicators).map((s) => s.bytes), words([...CSV_WORDS, ...indicators.flatMap((i) => [i.id, i.label, i.statement])])), indicators };
  },
  generate({ options }, rng) {
    const odd = oddInput(rng, options);
    const { bytes, mutations } = odd ? { bytes: odd, mutations: ['odd'] } : mutateBytes(rng, options);
    return { bytes, meta: { mutations, ...(rng.chance(0.5) ? { earliestDate: rng.pick(['2017-04-01', '2024-04-01', '0000-01-01', '9999-12-31']) } : {}) } };
  },
  async open({ indicators }) {
    const ids = new Set(indicators.map((i) => i.id));
    return {
      async check({ bytes, meta }) {
        const earliestDate = meta['earliestDate'] as string | undefined;
        const result = readMeasurementsCsv(bytes, indicators, earliestDate ? { earliestDate } : {});
        if (result.ok) {
          expectThat(result.measurements.length > 0, 'ok with no measurement');
          for (const m of result.measurements) {
            expectThat(ids.has(m.indicatorId), `a measurement of an unknown indicator ${m.indicatorId}`, m);
            const d = ISO_DATE.exec(m.date);
            expectThat(d !== null && !Number.isNaN(Date.parse(`${m.date}T00:00:00Z`)) && new Date(`${m.date}T00:00:00Z`).getUTCDate() === Number(d[3]), `a measurement dated ${m.date}`, m);
            expectThat(!earliestDate || m.date >= earliestDate, `a measurement dated ${m.date} before ${earliestDate}`, m);
            expectThat(Number.isFinite(m.value) && Math.abs(m.value) <= MAX_ABS_VALUE, `a measurement of value ${m.value}`, m);
            expectThat(Number.isInteger(m.line) && m.line >= 2, `a measurement at row ${m.line}`, m);
            expectThat([...(m.note ?? '')].length <= MAX_NOTE_CHARS && [...(m.source ?? '')].length <= MAX_SOURCE_CHARS, 'a note or source over its limit', m);
          }
        } else {
          expectThat(result.problems.length >= 1 && result.problems.length <= MAX_CSV_PROBLEMS, `${result.problems.length} problems`);
          for (const p of result.problems) {
            const text = formatCsvProblem(p);
            expectThat(JAPANESE.test(text), `a CSV problem not in Japanese: ${text.slice(0, 200)}`, p);
            expectThat(p.line === undefined || (Number.isInteger(p.line) && p.line >= 1), `a CSV problem at row ${p.line}`, p);
          }
        }
      },
    };
  },
};

// ---------------------------------------------------------------- PDF

export const pdfTarget: Target<MutateOptions> = {
  name: 'pdf',
  hangMs: 60_000,
  async load() {
    return bytesMaterial((await pdfSeeds()).map((s) => s.bytes), words(PDF_WORDS), 4 * 1024 * 1024);
  },
  generate(options, rng) {
    const { bytes, mutations } = rng.chance(0.02) ? { bytes: rng.pick(options.seeds), mutations: [] } : mutateBytes(rng, options);
    // Most mutations keep the %PDF- header; the rest test that a damaged header is still refused in Japanese.
    return { bytes, meta: { mutations, fileName: rng.pick(['plan.pdf', 'plan.txt', undefined]) } };
  },
  async open() {
    // As `hoshin import` and the upload page read it: in a worker thread, ended after its time
    // (below this target's hang limit, so a PDF pdfjs would read for minutes is answered, as
    // users are answered, instead of counted as a hang).
    const reader = new DocumentReader({ timeoutMs: 20_000, readsPerWorker: 5_000 });
    return {
      async check({ bytes, meta }) {
        const result = await reader.read(bytes, meta['fileName'] as string | undefined);
        if (isPdf(bytes)) expectThat(result.format === 'pdf', `a PDF read as ${result.format}`);
        checkDiagnostics(result.diagnostics);
        checkParseResult(result, isPdf(bytes) ? {} : { lines: lineCount(bytes) });
      },
      close: () => reader.close(),
    };
  },
};
