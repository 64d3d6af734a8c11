/**
 * The official-layout PDF (src/formats/pdf/render.ts) read back as a person and a machine would:
 * its text in order through pdfjs, its metadata, tags and attachment, its font embedded
 * (pdffonts), and page 1 against a reference image (pdftoppm; scripts/update-pdf-reference.ts).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatShortFiscalYear } from '../../../src/domain/fiscal-year.ts';
import { emptyPlan, type Plan } from '../../../src/domain/plan.ts';
import { pdfjsResources } from '../../../src/formats/index.ts';
import { extractPdfText } from '../../../src/formats/pdf/extract.ts';
import { amount, planTitle } from '../../../src/formats/pdf/official/model.ts';
import { renderPlanPdf } from '../../../src/formats/pdf/render.ts';
import {
  CREATION_DATE,
  differenceRatio,
  pdffonts,
  pdfFonts,
  PLANS,
  popplerAvailable,
  rasterizeFirstPage,
  readPng,
  referenceImage,
} from './official-support.ts';

const SLOW = 120_000;
const fonts = pdfFonts();
const resources = pdfjsResources();
const poppler = popplerAvailable();
/** Share of page 1's pixels allowed to differ from the reference (anti-aliasing between poppler builds). */
const TOLERANCE = 0.01;

/** What must appear, in this order, in the text of the plan's PDF. */
function expectedSequence(plan: Plan): string[] {
  const year = formatShortFiscalYear(plan.fiscalYear);
  const out = [planTitle(plan), '◆計画'];
  for (const issue of plan.issues) {
    out.push(`【経営課題${issue.number} ${issue.title}】`);
    for (const s of issue.strategies) out.push(`【${s.number} ${s.title}】`);
    for (const s of issue.strategies) {
      for (const i of s.initiatives) {
        out.push(`【${i.number} ${i.title}】(${year}予算額 ${amount(i.budgetThousandYen)})${i.cmBudgetThousandYen === null ? '' : `(${year}区CM予算額 ${amount(i.cmBudgetThousandYen)})`}`);
      }
    }
  }
  if (plan.reform) for (const item of plan.reform.items) out.push(item.title);
  out.push('◆自己評価');
  return out;
}

const flat = (s: string) => s.replace(/\s+/g, '');

async function pdfjsDocument(bytes: Uint8Array) {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs.getDocument({ data: bytes.slice(), cMapUrl: resources.cMapUrl, cMapPacked: true, standardFontDataUrl: resources.standardFontDataUrl, verbosity: 0 }).promise;
}

describe.each(PLANS)('the official PDF of %s', (name, makePlan) => {
  let plan: Plan;
  let bytes: Uint8Array;
  beforeAll(async () => {
    plan = makePlan();
    bytes = await renderPlanPdf(plan, { fonts, creationDate: CREATION_DATE, organization: { code: '271004', name: `大阪市 ${plan.organization}` } });
  }, SLOW);

  it('is the same bytes each time for the same plan and date', async () => {
    expect(await renderPlanPdf(plan, { fonts, creationDate: CREATION_DATE, organization: { code: '271004', name: `大阪市 ${plan.organization}` } })).toEqual(bytes);
  }, SLOW);

  it('holds every title and budget, in order, in its text (pdfjs)', async () => {
    const r = await extractPdfText(bytes, resources);
    if (!r.ok) throw new Error(r.message);
    const text = flat(r.text);
    let at = 0;
    for (const piece of expectedSequence(plan)) {
      const found = text.indexOf(flat(piece), at);
      expect(found, `「${piece}」 after offset ${at}`).toBeGreaterThanOrEqual(at);
      at = found + flat(piece).length;
    }
  }, SLOW);

  it('has A4 pages, its metadata (title, author = the organization, language ja), tags, page numbers and the plan attached', async () => {
    const doc = await pdfjsDocument(bytes);
    try {
      const page = await doc.getPage(1);
      const [, , w, h] = page.view;
      expect([Math.round(w!), Math.round(h!)]).toEqual([595, 842]);
      const info = (await doc.getMetadata()).info as Record<string, unknown>;
      expect(info.Title).toBe(planTitle(plan));
      expect(info.Author).toBe(`大阪市 ${plan.organization}`);
      expect(info.Language).toBe('ja');
      expect(info.IsCollectionPresent ?? false).toBe(false);
      expect(await doc.getMarkInfo()).toMatchObject({ Marked: true });
      const tree = await page.getStructTree();
      expect(tree?.children.length).toBeGreaterThan(0);
      const attachments = (await doc.getAttachments()) as Record<string, { content: Uint8Array }>;
      expect(JSON.parse(new TextDecoder().decode(attachments['hoshin-plan.json']!.content)).format).toBe('hoshin-plan/2');
      // Page numbers and repeated headers are drawn (a person sees them) but marked as artifacts.
      const last = await doc.getPage(doc.numPages);
      const all = (await last.getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join('');
      expect(all).toContain(`- ${doc.numPages} -`);
    } finally {
      await doc.destroy();
    }
  }, SLOW);

  it.runIf(poppler)('embeds its fonts, BIZ UDPGothic only (pdffonts)', () => {
    const rows = pdffonts(bytes).split('\n').slice(2).filter((l) => l.trim() !== '');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toMatch(/\+BIZUDPGothic-(Regular|Bold)\s/);
      // Columns emb, sub, uni: yes yes yes.
      expect(row).toMatch(/\syes\s+yes\s+yes\s/);
    }
  });

  it.runIf(poppler)('draws page 1 as its reference image (pdftoppm -r 50)', () => {
    const actual = readPng(rasterizeFirstPage(bytes));
    const expected = readPng(readFileSync(referenceImage(name)));
    expect({ width: actual.width, height: actual.height }).toEqual({ width: expected.width, height: expected.height });
    expect(differenceRatio(actual, expected)).toBeLessThanOrEqual(TOLERANCE);
  }, SLOW);
});

describe('plans of any shape render', () => {
  it('an empty plan: title, empty boxes, no 様式2 rows, no 様式3', async () => {
    const bytes = await renderPlanPdf(emptyPlan('西区', 2019), { fonts, creationDate: CREATION_DATE });
    const r = await extractPdfText(bytes, resources);
    if (!r.ok) throw new Error(r.message);
    expect(r.text.split('\n')[0]).toBe('令和元年度 西区運営方針(案)');
    expect(r.text).toContain('◆自己評価');
    expect(r.text).not.toContain('様式3');
  }, SLOW);

  it('a cell longer than a page is split across pages, the header rows drawn again above the rest', async () => {
    const long = '地域の見守り活動を支援する。'.repeat(400);
    const plan: Plan = {
      ...emptyPlan('西区', 2017),
      issues: [{ number: 1, title: '見守り', summary: long, strategies: [{ number: '1-1', title: '支援', description: long, initiatives: [{ number: '1-1-1', title: '見守り', budgetThousandYen: 1, cmBudgetThousandYen: null, description: long }] }] }],
    };
    const bytes = await renderPlanPdf(plan, { fonts, creationDate: CREATION_DATE });
    const doc = await pdfjsDocument(bytes);
    try {
      expect(doc.numPages).toBeGreaterThan(4);
      // Every page after the first table page opens with a header row, drawn again.
      const page3 = (await (await doc.getPage(3)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join('');
      expect(page3.startsWith('経営課題の概要') || page3.startsWith('主な具体的取組')).toBe(true);
    } finally {
      await doc.destroy();
    }
    // The text holds each header once, where its table starts.
    const r = await extractPdfText(bytes, resources);
    if (!r.ok) throw new Error(r.message);
    expect(r.text.match(/経営課題の概要/g)).toHaveLength(1);
    expect(r.text.match(/主な具体的取組\(/g)).toHaveLength(1);
    expect(flat(r.text)).toContain(flat(long));
  }, SLOW);
});
