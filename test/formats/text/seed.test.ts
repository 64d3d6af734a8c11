import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/formats/index.ts';

/** The seed, field for field as plan-format.md describes it (independent of the golden file). */
describe('the seed (Osaka City, Nishi Ward, FY2017 draft)', () => {
  const { plan, diagnostics } = parseDocument(readFileSync('test/fixtures/text/osaka-nishi-2017.txt'));

  it('has no diagnostics', () => expect(diagnostics).toEqual([]));

  it('reads the title, head and the plan part', () => {
    expect(plan).toMatchObject({ organization: '西区', fiscalYear: 2017, documentStatus: 'draft', head: '高野 賢' });
    expect(plan!.goal).toBe('ひとが輝き、ぬくもりとうるおいに満ちたまち「きらきら、ぽかぽか。西区」の実現');
    expect(plan!.mission).toHaveLength(3);
    expect(plan!.mission[1]).toBe('日常生活における安全と安心の提供');
    expect(plan!.policy.split('\n')).toHaveLength(2);
    expect(plan!.policy.startsWith('区のブランド力を向上させ')).toBe(true);
  });

  it('nests initiatives under the strategies their numbers name', () => {
    expect(plan!.issues.map((i) => i.number)).toEqual([1, 2, 3, 4]);
    expect(plan!.issues[1]!.strategies.map((s) => s.number)).toEqual(['2-1', '2-4']);
    const byNumber = Object.fromEntries(
      plan!.issues.flatMap((i) => i.strategies.flatMap((s) => s.initiatives.map((x) => [x.number, { strategy: s.number, ...x }]))),
    );
    expect(Object.keys(byNumber)).toEqual(['1-1-1', '2-1-2', '2-4-2', '3-2-1', '3-3-1', '4-2-2']);
    expect(byNumber['2-4-2']).toMatchObject({ strategy: '2-4', budgetThousandYen: 13667, cmBudgetThousandYen: 13738 });
    expect(byNumber['4-2-2']).toMatchObject({ budgetThousandYen: null, cmBudgetThousandYen: null });
    expect(byNumber['3-2-1']!.budgetThousandYen).toBe(46);
  });

  it('keeps the summary as written, spaces included', () => {
    expect(plan!.issues[0]!.summary).toContain('状態をめざす。 学校・家庭');
    expect(plan!.issues[0]!.title).toBe('地域コミュニティのさらなる活性化');
  });

  it('reads 様式3 and the empty self-evaluation', () => {
    expect(plan!.reform).toEqual({
      planName: '市政改革プラン2.0',
      items: [
        { title: '未収金対策の強化', content: expect.stringContaining('国民健康保険料') },
        { title: 'PDCAサイクルの徹底', content: expect.stringContaining('PDCAサイクルを徹底する。') },
      ],
    });
    expect(plan!.selfEvaluation).toEqual({ achievements: '', challenges: '' });
  });
});
