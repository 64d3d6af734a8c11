/**
 * The official PDF's printed text is honest: without its embedded plan, read as any published PDF
 * (parseDocumentAsync → extractPdfText → the text profiles), it gives the same numbers, titles
 * and budgets of every issue, strategy and initiative, and the same head and 様式3 items.
 * Descriptions are not compared: the official layout prints indicators and reviews beside them,
 * which the text layouts have no place for (docs/official-pdf.md).
 */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/domain/plan.ts';
import { parseDocumentAsync, pdfjsResources } from '../../../src/formats/index.ts';
import { extractPdfText, pageOfLine, withPdfPages } from '../../../src/formats/pdf/extract.ts';
import { renderPlanPdf } from '../../../src/formats/pdf/render.ts';
import { pdfFromRuns } from './make-pdf.ts';
import { CREATION_DATE, pdfFonts, PLANS } from './official-support.ts';

const SLOW = 120_000;
const fonts = pdfFonts();
const pdf = pdfjsResources();

/** What the printed text must give back. */
function outline(plan: Plan) {
  return {
    organization: plan.organization,
    fiscalYear: plan.fiscalYear,
    documentStatus: plan.documentStatus,
    head: plan.head,
    mission: plan.mission.length,
    issues: plan.issues.map((issue) => ({
      number: issue.number,
      title: issue.title,
      strategies: issue.strategies.map((s) => ({
        number: s.number,
        title: s.title,
        initiatives: s.initiatives.map((i) => ({ number: i.number, title: i.title, budget: i.budgetThousandYen, cm: i.cmBudgetThousandYen })),
      })),
    })),
    reform: plan.reform && { planName: plan.reform.planName, items: plan.reform.items.map((i) => i.title) },
  };
}

describe.each(PLANS)('the printed text of %s, without the embedded plan', (_name, makePlan) => {
  it('reads back through the text reader to the same numbers, titles and budgets, with no error', async () => {
    const plan = makePlan();
    const bytes = await renderPlanPdf(plan, { fonts, creationDate: CREATION_DATE, embedPlan: false });
    const result = await parseDocumentAsync(bytes, 'plan.pdf', { pdf });
    expect(result.format).toBe('pdf');
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(outline(result.plan!)).toEqual(outline(plan));
  }, SLOW);
});

describe('pages of the extracted text', () => {
  it('pageStarts and pageOfLine say which page a line is on; withPdfPages places diagnostics there', async () => {
    const bytes = await pdfFromRuns([
      [
        { x: 50, y: 50, text: '一ページ目の一行目' },
        { x: 50, y: 90, text: '短い段落' },
      ],
      [{ x: 50, y: 50, text: '二ページ目' }],
      [],
      [{ x: 50, y: 50, text: '四ページ目' }],
    ]);
    const r = await extractPdfText(bytes, pdf);
    if (!r.ok) throw new Error(r.message);
    const lines = r.text.split('\n');
    expect(lines.indexOf('二ページ目') + 1).toBe(r.pageStarts[1]);
    expect(pageOfLine(r.pageStarts, lines.indexOf('短い段落') + 1)).toBe(1);
    expect(pageOfLine(r.pageStarts, lines.indexOf('二ページ目') + 1)).toBe(2);
    expect(pageOfLine(r.pageStarts, lines.indexOf('四ページ目') + 1)).toBe(4);
    const placed = withPdfPages([{ severity: 'error', message: 'x', line: lines.indexOf('四ページ目') + 1 }, { severity: 'warning', message: 'y' }], r.pageStarts);
    expect(placed).toEqual([{ severity: 'error', message: 'x', page: 4 }, { severity: 'warning', message: 'y' }]);
  }, SLOW);
});
