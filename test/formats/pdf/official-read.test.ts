/**
 * Our own PDF read back (src/formats/pdf/read-plan.ts): the embedded hoshin-plan.json gives the
 * plan exactly, ids, indicators, measurements and reviews included; a damaged, swapped or cut
 * file is refused in Japanese saying where; someone else's PDF is not ours.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/domain/plan.ts';
import { pdfjsResources, toPlanJson, PLAN_FORMAT_2 } from '../../../src/formats/index.ts';
import { readPlanPdf } from '../../../src/formats/pdf/read-plan.ts';
import { renderPlanPdf } from '../../../src/formats/pdf/render.ts';
import { pdfFromLayoutText } from './make-pdf.ts';
import { CREATION_DATE, pdcaPlan, pdfFonts, PLANS, seedPlan } from './official-support.ts';

const SLOW = 120_000;
const fonts = pdfFonts();
const resources = pdfjsResources();
const encode = (s: string) => new TextEncoder().encode(s);

describe.each(PLANS)('renderPlanPdf → readPlanPdf: %s', (_name, makePlan) => {
  it('gives the same plan (hoshin-plan/2, ids included)', async () => {
    const plan = makePlan();
    const read = await readPlanPdf(await renderPlanPdf(plan, { fonts, creationDate: CREATION_DATE }), resources);
    expect(read.ours).toBe(true);
    if (!read.ours) return;
    expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(toPlanJson(read.plan!, PLAN_FORMAT_2)).toEqual(toPlanJson(plan, PLAN_FORMAT_2));
  }, SLOW);
});

describe('PDFs readPlanPdf refuses or leaves to the text reader', () => {
  let seed: Plan;
  beforeAll(() => {
    seed = seedPlan();
  });

  it('someone else\'s PDF, and our PDF made without the attachment, are not ours', async () => {
    expect(await readPlanPdf(await pdfFromLayoutText('平成29年度 西区運営方針(案)\n'), resources)).toEqual({ ours: false });
    expect(await readPlanPdf(await renderPlanPdf(seed, { fonts, embedPlan: false }), resources)).toEqual({ ours: false });
    expect(await readPlanPdf(encode('平成29年度 西区運営方針'), resources)).toEqual({ ours: false });
  }, SLOW);

  it('an attachment that is not JSON: the error names the embedded file and its line', async () => {
    const bytes = await renderPlanPdf(seed, { fonts, attachment: encode('{\n  "format": "hoshin-plan/2",\n  oops\n}\n') });
    const read = await readPlanPdf(bytes, resources);
    expect(read.ours).toBe(true);
    if (!read.ours) return;
    expect(read.plan).toBeUndefined();
    expect(read.diagnostics).toHaveLength(1);
    expect(read.diagnostics[0]!.severity).toBe('error');
    expect(read.diagnostics[0]!.message).toMatch(/^PDFに埋め込まれた計画データ\(hoshin-plan\.json\)の3行目: JSON の構文が正しくありません/);
  }, SLOW);

  it('an attachment that breaks the format: the field is named', async () => {
    const json = JSON.stringify({ ...toPlanJson(seed, PLAN_FORMAT_2), fiscalYear: '平成29' }, null, 2);
    const read = await readPlanPdf(await renderPlanPdf(seed, { fonts, attachment: encode(json) }), resources);
    if (!read.ours) throw new Error('not ours');
    expect(read.plan).toBeUndefined();
    expect(read.diagnostics.some((d) => d.field === 'fiscalYear' && d.message.startsWith('PDFに埋め込まれた計画データ(hoshin-plan.json)の'))).toBe(true);
  }, SLOW);

  it('an attachment that is not UTF-8', async () => {
    const read = await readPlanPdf(await renderPlanPdf(seed, { fonts, attachment: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }), resources);
    expect(read).toEqual({ ours: true, diagnostics: [expect.objectContaining({ severity: 'error', message: expect.stringContaining('UTF-8') })] });
  }, SLOW);

  it('an attachment of another plan than the pages show: refused, naming the page where they part', async () => {
    const other = pdcaPlan();
    other.issues[2]!.strategies[1]!.initiatives[0]!.budgetThousandYen = 99999;
    const json = JSON.stringify(toPlanJson(other, PLAN_FORMAT_2));
    const read = await readPlanPdf(await renderPlanPdf(seed, { fonts, creationDate: CREATION_DATE, attachment: encode(json) }), resources);
    if (!read.ours) throw new Error('not ours');
    expect(read.plan).toBeUndefined();
    const [d] = read.diagnostics;
    expect(d).toMatchObject({ severity: 'error', page: 2 });
    expect(d!.message).toContain('印刷された内容が一致しません: 具体的取組3-3-1「戦略的な区の情報発信」(29年度予算額 99,999千円)が2ページ以降に見つかりません');
  }, SLOW);

  it('a truncated PDF: refused as ours, cut or damaged', async () => {
    const bytes = await renderPlanPdf(seed, { fonts, creationDate: CREATION_DATE });
    for (const cut of [bytes.slice(0, Math.floor(bytes.length / 2)), bytes.slice(0, bytes.length - 200)]) {
      const read = await readPlanPdf(cut, resources);
      expect(read.ours).toBe(true);
      if (!read.ours) continue;
      expect(read.plan).toBeUndefined();
      expect(read.diagnostics).toHaveLength(1);
      expect(read.diagnostics[0]!.message).toMatch(/Hoshin で作成したPDFのようですが、.*(壊れているか途中で切れている|見つかりません)/);
    }
    // Cut before the attachment's name: nothing says it is ours, and the text reader reports the damage.
    expect(await readPlanPdf(bytes.slice(0, 1000), resources)).toEqual({ ours: false });
  }, SLOW);
});
