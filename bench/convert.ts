/**
 * Conversion throughput of the formats layer, the `hoshin convert` path without the I/O:
 *  - parse:   text bytes → plan (decode, parse, validate)
 *  - render:  plan → text
 *  - convert: text bytes → hoshin-plan/1 JSON string (parse, then render JSON)
 *  - floor:   JSON.parse of the same plans' JSON, the least any reader of them could cost
 * on the seed (repeated for BENCH_SECONDS, default 2 s per operation) and on 1,000 generated
 * plans (generatePlan seeds 1..1000, rendered to text beforehand, passed over for as long).
 *
 *   node --import tsx bench/convert.ts        # or: npm run bench -- convert
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Plan } from '../src/domain/plan.ts';
import { parseDocument, renderDocument } from '../src/formats/index.ts';
import { generatePlan } from '../test/support/build-plan.ts';

export interface ConvertBenchRow {
  data: string;
  operation: 'parse' | 'render' | 'convert' | 'JSON.parse';
  /** Documents processed in the timed passes. */
  documents: number;
  /** Bytes of input (of output text for render, whose input is a plan in memory). */
  bytes: number;
  seconds: number;
  documentsPerSecond: number;
  megabytesPerSecond: number;
}

interface Corpus {
  name: string;
  texts: Uint8Array[];
  plans: Plan[];
  jsons: string[];
}

const encoder = new TextEncoder();
const MB = 1024 * 1024;

function corpus(name: string, texts: Uint8Array[]): Corpus {
  const plans = texts.map((t, i) => {
    const { plan, diagnostics } = parseDocument(t, 'bench.txt');
    if (!plan) throw new Error(`${name} document ${i} does not parse: ${diagnostics[0]?.message}`);
    return plan;
  });
  return { name, texts, plans, jsons: plans.map((p) => renderDocument(p, 'json')) };
}

/**
 * Passes over `count` documents until `seconds` have gone by (at least one pass, after a
 * warm-up pass so the JIT has seen the code); returns documents done and time taken.
 */
function measure(count: number, seconds: number, one: (i: number) => unknown): { documents: number; seconds: number } {
  let sink = 0;
  const pass = () => {
    for (let i = 0; i < count; i++) if (one(i) !== undefined) sink++;
  };
  pass();
  let documents = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    pass();
    documents += count;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  } while (elapsed < seconds);
  if (sink < 0) throw new Error('unreachable'); // keeps the results alive
  return { documents, seconds: elapsed };
}

function benchCorpus(c: Corpus, seconds: number): ConvertBenchRow[] {
  const size = (items: (Uint8Array | string)[]) => items.reduce((n, x) => n + (typeof x === 'string' ? Buffer.byteLength(x) : x.length), 0);
  const textBytes = size(c.texts);
  const renderedBytes = size(c.plans.map((p) => renderDocument(p, 'text')));
  const jsonBytes = size(c.jsons);
  const n = c.texts.length;
  const row = (operation: ConvertBenchRow['operation'], bytesPerPass: number, m: { documents: number; seconds: number }): ConvertBenchRow => ({
    data: c.name,
    operation,
    documents: m.documents,
    bytes: (bytesPerPass * m.documents) / n,
    seconds: m.seconds,
    documentsPerSecond: m.documents / m.seconds,
    megabytesPerSecond: (bytesPerPass * m.documents) / n / MB / m.seconds,
  });
  return [
    row('parse', textBytes, measure(n, seconds, (i) => parseDocument(c.texts[i]!, 'bench.txt').plan)),
    row('render', renderedBytes, measure(n, seconds, (i) => renderDocument(c.plans[i]!, 'text'))),
    row('convert', textBytes, measure(n, seconds, (i) => {
      const { plan } = parseDocument(c.texts[i]!, 'bench.txt');
      return plan && renderDocument(plan, 'json');
    })),
    row('JSON.parse', jsonBytes, measure(n, seconds, (i) => JSON.parse(c.jsons[i]!) as unknown)),
  ];
}

export function formatTable(rows: ConvertBenchRow[]): string {
  const floor = new Map(rows.filter((r) => r.operation === 'JSON.parse').map((r) => [r.data, r]));
  const header = ['data', 'operation', 'documents', 'MB', 'seconds', 'documents/s', 'MB/s', '× floor'];
  const body = rows.map((r) => {
    const f = floor.get(r.data);
    return [
      r.data,
      r.operation,
      String(r.documents),
      (r.bytes / MB).toFixed(1),
      r.seconds.toFixed(2),
      r.documentsPerSecond.toFixed(0),
      r.megabytesPerSecond.toFixed(2),
      f ? (f.documentsPerSecond / r.documentsPerSecond).toFixed(1) : '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export async function run(options: { seconds?: number; log?: (s: string) => void } = {}): Promise<ConvertBenchRow[]> {
  const seconds = options.seconds ?? Number(process.env.BENCH_SECONDS ?? 2);
  const log = options.log ?? ((s: string) => console.log(s));
  const seedPath = new URL('../test/fixtures/text/osaka-nishi-2017.txt', import.meta.url);
  const seed = corpus('seed', [new Uint8Array(readFileSync(seedPath))]);
  const generated = corpus(
    'generated-1000',
    Array.from({ length: 1000 }, (_, i) => encoder.encode(renderDocument(generatePlan(i + 1), 'text'))),
  );
  const avg = (c: Corpus) => `${(c.texts.reduce((n, t) => n + t.length, 0) / c.texts.length / 1024).toFixed(1)} KB`;
  log(`convert: seed ${avg(seed)}; generated set 1,000 documents, ${avg(generated)} on average; ${seconds} s per measurement`);
  const rows = [...benchCorpus(seed, seconds), ...benchCorpus(generated, seconds)];
  log(formatTable(rows));
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
