/**
 * PDF seeds: text fixtures laid out as an office's word processor would (test/formats/pdf's
 * maker), a PDF whose content streams are left uncompressed (so byte mutations land on text
 * operators, not only on deflate data), an image-only page, hand-placed runs.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { imageOnlyPdf, NOTO_SANS_JP, pdfFromLayoutText, pdfFromRuns } from '../test/formats/pdf/make-pdf.ts';
import { bizUdpGothicPaths, renderDocument } from '../src/formats/index.ts';
import { renderPlanPdf } from '../src/formats/pdf/render.ts';
import { mutateJsonText, utf8 } from './mutate.ts';
import { Rng } from './rng.ts';
import { fixturePlans, pdcaPlan, REPO, type Seed } from './seeds.ts';

const TEXT_FIXTURES = ['osaka-nishi-2017.txt', 'yokohama-higashihama-2024.txt', 'fukuoka-higashi-2024.txt'];

function uncompressedPdf(text: string): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, compress: false, info: { CreationDate: new Date(Date.UTC(2017, 3, 1)) } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  doc.font(NOTO_SANS_JP).fontSize(10.5);
  for (const line of text.split('\n').slice(0, 60)) doc.text(line.replace(/\t/g, '  '));
  doc.end();
  return done;
}

export async function pdfSeeds(): Promise<Seed[]> {
  const texts = TEXT_FIXTURES.map((name) => ({ name, text: readFileSync(join(REPO, 'test', 'fixtures', 'text', name), 'utf8') }));
  const seeds: Seed[] = [];
  for (const { name, text } of texts) seeds.push({ name: `${name} laid out`, bytes: await pdfFromLayoutText(text) });
  seeds.push({ name: 'seed, uncompressed', bytes: await uncompressedPdf(texts[0]!.text) });
  seeds.push({ name: 'image only', bytes: await imageOnlyPdf() });
  // Hoshin's own plan PDFs: read through their embedded hoshin-plan.json (readPlanPdf), checked against the pages.
  const paths = bizUdpGothicPaths();
  const fonts = { regular: new Uint8Array(await readFile(paths.regular)), bold: new Uint8Array(await readFile(paths.bold)) };
  const creationDate = new Date(Date.UTC(2017, 3, 1));
  const pdca = pdcaPlan();
  seeds.push({ name: 'PDCA plan, ours', bytes: await renderPlanPdf(pdca, { fonts, creationDate }) });
  const seedPlan = fixturePlans().find((p) => p.name.endsWith('osaka-nishi-2017.txt'))!.plan;
  seeds.push({ name: 'seed plan, ours, pages only', bytes: await renderPlanPdf(seedPlan, { fonts, creationDate, embedPlan: false }) });
  // Ours with the embedded plan edited (deflate hides it from byte mutations): the check against the pages, and the JSON reader, get to work.
  const json = renderDocument(seedPlan, 'json');
  for (let i = 0; i < 6; i++) {
    seeds.push({ name: `seed plan, ours, attachment edited ${i}`, bytes: await renderPlanPdf(seedPlan, { fonts, creationDate, attachment: utf8(mutateJsonText(new Rng(1000 + i), json)) }) });
  }
  seeds.push({ name: 'runs over two pages', bytes: await pdfFromRuns([[{ x: 50, y: 50, text: '平成29年度 西区運営方針' }, { x: 50, y: 80, text: '目標(何をめざすのか)' }], [{ x: 50, y: 50, text: '- 2 -' }]]) });
  return seeds;
}
