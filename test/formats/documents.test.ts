/**
 * Every format a plan is written as comes back through the one importer (`parseDocumentAsync`)
 * as the same hoshin-plan/2 JSON: the PDF through its embedded plan, the workbook through its
 * cells, the text through the seed's layout (for the parts text carries). The three plans are
 * the seed, a generated 30-issue plan and the seed with indicators, measurements and reviews.
 */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/domain/plan.ts';
import {
  DOCUMENT_FORMAT_NAMES,
  DOCUMENT_FORMATS,
  parseDocumentAsync,
  pdfjsResources,
  PLAN_FORMAT_2,
  renderDocumentBytes,
  toPlanJson,
} from '../../src/formats/index.ts';
import { CREATION_DATE, pdfFonts, PLANS } from './pdf/official-support.ts';

const fonts = pdfFonts();
const planJson = (plan: Plan) => toPlanJson(plan, PLAN_FORMAT_2);

describe.each(PLANS)('every format of the %s plan reads back', (_name, makePlan) => {
  const plan = makePlan();

  it.each(['json', 'pdf', 'xlsx'] as const)('%s → the same hoshin-plan/2 JSON', async (format) => {
    const bytes = await renderDocumentBytes(plan, format, { pdfFonts: fonts, creationDate: CREATION_DATE });
    const read = await parseDocumentAsync(bytes, `plan.${DOCUMENT_FORMATS[format].extension}`, { pdf: pdfjsResources() });
    expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(read.format).toBe(format);
    expect(planJson(read.plan!)).toStrictEqual(planJson(plan));
  });

  it('json1 and text carry the /1 part of it', async () => {
    for (const format of ['json1', 'text'] as const) {
      const bytes = await renderDocumentBytes(plan, format);
      const read = await parseDocumentAsync(bytes, `plan.${DOCUMENT_FORMATS[format].extension}`, { pdf: pdfjsResources() });
      expect(read.plan, format).toBeDefined();
      const titles = (p: Plan) => p.issues.flatMap((i) => [i.title, ...i.strategies.flatMap((s) => [s.title, ...s.initiatives.map((n) => `${n.number} ${n.title} ${n.budgetThousandYen}`)])]);
      expect(titles(read.plan!), format).toStrictEqual(titles(plan));
    }
  });
});

describe('what a document was read as', () => {
  it('a workbook is read as one whatever its name, and a PDF or workbook that is not ours says so', async () => {
    const plan = PLANS[0]![1]();
    const xlsx = await renderDocumentBytes(plan, 'xlsx', { creationDate: CREATION_DATE });
    expect((await parseDocumentAsync(xlsx, 'renamed.txt')).format).toBe('xlsx');
    const notWorkbook = await parseDocumentAsync(new TextEncoder().encode('PK\u0003\u0004 not really a zip'), 'x.xlsx');
    expect(notWorkbook.plan).toBeUndefined();
    expect(notWorkbook.diagnostics[0]!.message).toMatch(/Excel|壊れて/);
  });

  it('names every format with a media type and extension', () => {
    for (const format of DOCUMENT_FORMAT_NAMES) expect(DOCUMENT_FORMATS[format].mediaType).toMatch(/\//);
    expect(DOCUMENT_FORMATS.pdf.mediaType).toBe('application/pdf');
    expect(DOCUMENT_FORMATS.xlsx.mediaType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });
});
