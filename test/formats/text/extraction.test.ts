import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/formats/index.ts';

/**
 * What pdftotext leaves in a real extraction, beyond the seed: spaces inside era years
 * (「令和 2 年度」) in the policy heading too, page numbers (「- 2 -」) and form feeds between
 * pages, and continuation lines of a table's second column that start with a tab.
 */
describe('a pdftotext extraction (Nishinari FY2020)', () => {
  const { plan, diagnostics } = parseDocument(readFileSync('test/fixtures/text/osaka-nishinari-2020-pdftotext.txt'));

  it('reads with no diagnostics', () => expect(diagnostics).toEqual([]));

  it('finds the policy heading written with a spaced era year', () => {
    expect(plan!.mission).toEqual(['こどもを育む', '健康を守る']);
    expect(plan!.policy).toBe('西成特区構想を進める。');
  });

  it('drops page numbers, so a row cut by a page break stays one', () => {
    const initiative = plan!.issues[0]!.strategies[0]!.initiatives[0]!;
    expect(initiative).toEqual({
      number: '1-1-1',
      title: '子育て支援',
      budgetThousandYen: 1500,
      cmBudgetThousandYen: null,
      description: '子育て講座を開く。',
    });
    expect(plan!.selfEvaluation).toEqual({ achievements: '', challenges: '' });
  });

  it('joins a second-column continuation that starts with a tab without keeping the tab', () => {
    expect(plan!.issues[0]!.strategies[0]!.description).toBe('子育て世帯を支える。');
    expect(plan!.reform).toEqual({ planName: '市政改革プラン3.0', items: [{ title: '業務改善', content: '業務を見直す。' }] });
  });

  it('does not take a lone number line for a page number when it is the whole document', () => {
    const result = parseDocument(new TextEncoder().encode('- 1 -\n\n- 2 -\n'));
    expect(result.plan).toBeUndefined();
    expect(result.diagnostics[0]!.message).toContain('表題');
  });
});
