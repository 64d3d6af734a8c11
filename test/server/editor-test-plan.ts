import type { Plan } from '../../src/domain/plan.ts';

/** A small plan whose exact shape the editor tests move items around in (sparse numbers 2-1/2-4, a 区CM budget, a "-" budget). */
export function editorTestPlan(overrides: Partial<Plan> = {}): Plan {
  return {
    organization: '西区',
    fiscalYear: 2017,
    documentStatus: 'draft',
    head: '高野 賢',
    goal: 'ひとが輝くまち',
    mission: ['地域活動の支援', '安全と安心'],
    policy: '第一段落\n第二段落',
    issues: [
      {
        number: 1, title: '地域コミュニティ', summary: '概要1',
        strategies: [{ number: '1-1', title: '活動支援', description: '戦略の内容', initiatives: [
          { number: '1-1-1', title: '地域活動協議会の活動支援', budgetThousandYen: 22268, cmBudgetThousandYen: null, description: '取組の内容' },
        ] }],
      },
      {
        number: 2, title: '安全・安心', summary: '概要2',
        strategies: [
          { number: '2-1', title: '子育て', description: '', initiatives: [
            { number: '2-1-2', title: '保育', budgetThousandYen: 5697, cmBudgetThousandYen: null, description: '' },
          ] },
          { number: '2-4', title: '見守り', description: '', initiatives: [
            { number: '2-4-2', title: '見守り活動', budgetThousandYen: 13667, cmBudgetThousandYen: 13738, description: '' },
            { number: '2-4-3', title: 'コンプライアンス', budgetThousandYen: null, cmBudgetThousandYen: null, description: '' },
          ] },
        ],
      },
    ],
    reform: { planName: '市政改革プラン2.0', items: [{ title: '未収金対策の強化', content: '内容' }] },
    selfEvaluation: { achievements: '', challenges: '' },
    ...overrides,
  };
}
