/**
 * Test data: a small fixed plan (`buildPlan`) and seeded random plans (`generatePlan`)
 * shaped like real 運営方針. Generated plans use only what the text layout can hold, so
 * `parseDocument(renderDocument(plan, 'text'))` gives each one back unchanged
 * (test/support/build-plan.test.ts holds that property for 500 seeds).
 */
import type { Initiative, ManagementIssue, Plan, Reform, Strategy } from '../../src/domain/plan.ts';

/** A small valid plan shaped like the seed: sparse numbers (2-1, 2-4), a 区CM budget, a "-" budget. */
export function buildPlan(overrides: Partial<Plan> = {}): Plan {
  return {
    organization: '西区',
    fiscalYear: 2017,
    documentStatus: 'draft',
    head: '高野 賢',
    goal: 'ひとが輝き、ぬくもりとうるおいに満ちたまち「きらきら、ぽかぽか。西区」の実現',
    mission: ['日常生活における安全と安心の提供', '多彩で魅力的なブランドの発掘や創出'],
    policy: '地域コミュニティをさらに活性化させる。\nPDCAサイクルによるマネジメントを徹底する。',
    issues: [
      {
        number: 1,
        title: '地域コミュニティのさらなる活性化',
        summary: '地域活動協議会の様々な活動を通じて、豊かなコミュニティが形成されている状態をめざす。',
        strategies: [
          {
            number: '1-1',
            title: '地域活動協議会の活動支援',
            description: '自律的な地域運営を促進できるよう支援する。',
            initiatives: [
              { number: '1-1-1', title: '地域活動協議会の活動支援', budgetThousandYen: 22268, cmBudgetThousandYen: null, description: '中間支援組織と連携し支援を行う。' },
            ],
          },
        ],
      },
      {
        number: 2,
        title: '安全・安心で快適なまちづくり',
        summary: '誰もが安全で安心して暮らせるような環境整備を行う。',
        strategies: [
          {
            number: '2-1',
            title: '安心して子育てができる環境づくり',
            description: '切れ目のない相談支援体制を構築する。',
            initiatives: [
              { number: '2-1-2', title: '保育サービスの充実', budgetThousandYen: 5697, cmBudgetThousandYen: null, description: '訪問型病児保育を実施する。' },
            ],
          },
          {
            number: '2-4',
            title: '誰もが自分らしくいきいきと暮らせるまちづくり',
            description: '',
            initiatives: [
              { number: '2-4-2', title: '地域における見守り活動の支援', budgetThousandYen: 13667, cmBudgetThousandYen: 13738, description: '見守りコーディネーターを各地域に配置する。' },
              { number: '2-4-3', title: 'コンプライアンスの確保', budgetThousandYen: null, cmBudgetThousandYen: null, description: '' },
            ],
          },
        ],
      },
    ],
    reform: { planName: '市政改革プラン2.0', items: [{ title: '未収金対策の強化', content: '口座振替の勧奨や納付相談に取り組む。' }] },
    selfEvaluation: { achievements: '', challenges: '' },
    ...overrides,
  };
}

/** mulberry32: a tiny deterministic PRNG, so a failing seed reproduces on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Real ward names (行政区) of several designated cities. */
export const WARD_NAMES: readonly string[] = [
  // 大阪市
  '北区', '都島区', '福島区', '此花区', '中央区', '西区', '港区', '大正区', '天王寺区', '浪速区', '西淀川区', '淀川区',
  '東淀川区', '東成区', '生野区', '旭区', '城東区', '鶴見区', '阿倍野区', '住之江区', '住吉区', '東住吉区', '平野区', '西成区',
  // 横浜市
  '鶴見区', '神奈川区', '保土ケ谷区', '港北区', '青葉区', '都筑区', '戸塚区', '港南区', '金沢区', '瀬谷区',
  // 川崎市
  '川崎区', '幸区', '中原区', '高津区', '宮前区', '多摩区', '麻生区',
  // 名古屋市, 京都市, 神戸市, 福岡市, 札幌市, 仙台市
  '千種区', '昭和区', '瑞穂区', '熱田区', '中京区', '下京区', '伏見区', '右京区', '東灘区', '灘区', '須磨区', '垂水区',
  '博多区', '早良区', '城南区', '豊平区', '厚別区', '手稲区', '青葉区', '宮城野区', '若林区', '泉区',
].filter((name, i, all) => all.indexOf(name) === i);

const HEAD_NAMES: readonly string[] = ['高野 賢', '山田 太郎', '佐藤 花子', '鈴木 一郎', '田中 美咲', '中村 健', '小林 由紀子', '加藤 誠'];

const GOALS: readonly string[] = [
  'ひとが輝き、ぬくもりとうるおいに満ちたまち「きらきら、ぽかぽか。西区」の実現',
  '誰もが安全に安心して暮らせる、魅力あふれるまち',
  '地域のつながりが育ち、こどもからお年寄りまでいきいきと暮らせるまち',
  '区民とともにつくる、住み続けたいまち',
];

const MISSIONS: readonly string[] = [
  '区民が自分たちのまちの問題を解決し、絆づくりを進めるために行う様々な地域活動の総合的な支援',
  '日常生活における安全と安心の提供',
  '多彩で魅力的なブランドの発掘や創出、ブラッシュアップと効果的・戦略的な情報発信',
  '区民ニーズの的確な把握と区政への反映',
  'こどもの成長と子育て家庭への切れ目のない支援',
  '災害に強いまちづくりと地域防災力の向上',
];

/** Titles of the seed's issues, strategies and initiatives, and a few more of the same kind. */
const TITLES: readonly string[] = [
  '地域コミュニティのさらなる活性化',
  '地域活動協議会の活動支援',
  '安全・安心で快適なまちづくり',
  '安心して子育てができる環境づくり',
  '誰もが自分らしくいきいきと暮らせるまちづくり',
  '保育サービスの充実',
  '地域における見守り活動の支援',
  '多彩な魅力を活かした西区のブランド力の向上',
  '地域資源を活かしたまちづくり',
  '戦略的な区の情報発信',
  '地域資源の活用によるにぎわいづくり',
  '自律した自治体型の区政運営',
  'ニア・イズ・ベターの区政運営を担う職員づくりと職場環境づくり',
  'コンプライアンスの確保',
  '防災・減災対策の推進',
  '区民の健康づくりの支援',
];

/** Sentences of the seed plan, the raw material of every generated text. */
const SENTENCES: readonly string[] = [
  '区のブランド力を向上させひとが輝くまちづくりをすすめるために、地域コミュニティをさらに活性化させるとともに、こども、高齢者、障がいのある方など誰もが安全に安心して生活できる環境づくりに引き続き取り組む。',
  '特に、地域活動協議会の活動支援は、自律的な地域運営がより進むように引き続き取り組んでいく。',
  'さらに、区の魅力である地域資源を活かした取り組みも引き続き実施する。',
  'そして、区行政を担い、地域に最も身近な区役所組織の自律的な運営をより進めるにあたり、区民ニーズのよりの確かな把握と組織力アップを旨とする。',
  'これらの施策や取り組みを実施するにあたっては、その目的を明確にし、定期的に目的に対する成果の有効性や効率性をチェックするなど、PDCAサイクルによるマネジメントを徹底する。',
  '「自らの地域のことは自らが決める」という意識のもと、地域活動協議会の様々な活動を通じて、活動の透明性を確保しながら生活課題等の解決に取り組む豊かなコミュニティが形成されている状態をめざす。',
  '学校・家庭・地域・区等が連携し個性ある学校運営・開かれた学校づくりを支援する。',
  '地域活動協議会がさまざまな地域課題に取組み、自律的な地域運営を促進できるよう支援するとともに、地域活動に関心のある人たちが活動できる機会や場の拡充、地域の人材と地域で求められている活動のマッチングなどのコーディネートを積極的に行う。',
  '自律的な地域運営を推進するため、中間支援組織と連携し、他の地域団体との連携や地域活動への住民の参加促進を支援するとともに、それぞれの地域の特性や課題、ニーズに応じた支援を行う。',
  'また、地域が主体的に情報発信できるよう広報紙等の運営を支援するほか、地域課題や活動等を各地域活動協議会間で共有できる場を提供する。',
  '高齢者、障がいのある人、子育て層など、誰もが安全で安心して暮らせるような環境整備を行う。',
  '急激に人口が増加する中、子育て層が安心して子育てできる環境を充実させるとともに、誰もが健康で健やかに生活でき、高齢者や障がいのある方の地域とのつながりづくりや、地域での見守り活動を支援する。',
  'また、災害時に備え、自助・共助の意識向上を図り地域が一体となって防災力を高めることを支援するとともに、交通事故や犯罪がおこりにくいまちづくりを行う。',
  '安心してこどもを生み、育てられるように、妊娠期から子育て期にわたる切れ目のない相談支援体制を構築するとともに、子育て家庭のさまざまなニーズにきめ細かく対応できるよう、身近な地域で子育てができる環境を整える。',
  '高齢者・障がい者見守り強化のために、地域福祉活動の担い手に対する支援を行うとともに、在宅医療と介護分野の連携が円滑にできるようネットワークの構築を進める。',
  '訪問型病児保育(共済型)を実施し、児童が病気で、保育所・保護者による保育が困難な場合、事業者が保育者自宅を訪問し、一時的にその児童を保育することにより、子育てと就労の両立を支援する。',
  '要介護者名簿整備と福祉専門職のワーカーによる孤立世帯への専門的対応、徘徊認知症高齢者保護の強化等を行うとともに、高齢者・障がい者等の孤立を防ぎ、地域とのつながり作りのために見守りコーディネーターを各地域に配置し、福祉情報の提供や相談支援を行う。',
  'また、各地域における民生委員・児童委員、地域社協等との連携を強化し、見守り活動組織の立ち上げ並びに継続的な運営のための支援を行う。',
  '区民のシビック・プライドが醸成され、自らよりよいまちにしていこうという当事者意識でまちづくりに関われる取組みを進める。',
  '公園やリバーフロント等の地域資源を活用し、区の魅力としてブランド力向上や地域コミュニティの活性化につなげるため区民と協働した取組みを進める。',
  '区の特性に応じた個性あふれる区政運営の取組みや成果、また区の魅力や地域情報などについて、区広報紙やホームページ等様々な媒体を活用して情報発信し、区政運営に対する区民の理解を得る。',
  '都心で自然と触れ合い、人と人とのつながりを深める公園を活用した取組みを活動団体と協働して実施するとともに、水辺のにぎわい活性化に向け、区内各所の地域関係団体等との連携を図る。',
  'また、アートやデザインからの視点による地域課題の解決に向けた対応をさらに充実させるため、関係機関と長期にわたり連携できる体制の整備を行うほか、これまでのデザイン力を活かした取組みなどが、広く区民の目に触れ、親しまれるよう活用する。',
  '地域に最も身近な区役所が、多様な協働による地域社会づくりを支援し、区に関わる施策や事業を住民ニーズを的確にとらえながら区長が責任をもって実施し、ニア・イズ・ベターの区政運営を行う。',
  '「西区職員育成基本プラン」のもと、前向きで主体的・チャレンジ意識を持ち、地域を積極的に支えることができる職員づくりと頑張る職員をしっかりとサポートしていくための職場環境づくりに取り組む。',
  'また、コンプライアンス違反を発生させないための自律的な取組みや服務規律の確保を促進する。',
  'これまでにあった個人情報漏えい事故や不適切な事務処理事案等を振り返り、課題を検討して再発防止対策に取り組む。',
  'また、適切な事務処理ができる組織づくりのため、コンプライアンス研修を実施し、職員のコンプライアンス意識の向上と不適正事案を未然に防ぐ「風通しのよい職場づくり」を推進する。',
  '国民健康保険料の収入を確保するため、口座振替の勧奨やきめ細やかな納付相談、納付督促に取組むとともに、滞納処分による強制徴収の取組みを強化する。',
  '区に関わる施策・事業について、定期的に目的に対する成果の有効性をチェックし、事業内容の改善や新たな事業展開につなげるなど、PDCAサイクルを徹底する。',
];

const REFORM_PLAN_NAMES: readonly string[] = ['市政改革プラン2.0', '市政改革プラン3.0', '市政改革プラン'];

const REFORM_TITLES: readonly string[] = ['未収金対策の強化', 'PDCAサイクルの徹底', '区政会議の運営', '区における人材育成', 'ICTの活用による業務改善'];

export interface GeneratePlanOptions {
  organization?: string;
  fiscalYear?: number;
  documentStatus?: Plan['documentStatus'];
  /** Upper bound of management issues (default 6). */
  maxIssues?: number;
}

/**
 * A realistic random plan, the same for the same seed: FY1989–2030 (so 平成, 令和 and 元年
 * occur), 1–6 issues, 1–4 strategies each and 0–4 initiatives per strategy, numbered with
 * gaps as the seed is (2-1, 2-4), budgets absent, zero or large, optional 区CM budgets,
 * 0–5 mission bullets, a multi-paragraph policy, optional 様式3 and self-evaluation.
 */
export function generatePlan(seed: number, options: GeneratePlanOptions = {}): Plan {
  const random = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const chance = (p: number) => random() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const sentences = (min: number, max: number) => Array.from({ length: int(min, max) }, () => pick(SENTENCES)).join('');
  const paragraphs = (min: number, max: number) => Array.from({ length: int(min, max) }, () => sentences(1, 3)).join('\n');
  /** Increasing numbers starting at 1 or 2, with an occasional gap, as plans renumber rarely. */
  const numbers = (count: number) => {
    const out: number[] = [];
    let n = int(1, 2);
    for (let i = 0; i < count; i++) {
      out.push(n);
      n += chance(0.3) ? int(2, 3) : 1;
    }
    return out;
  };
  const budget = (): number | null => {
    const r = random();
    if (r < 0.15) return null;
    if (r < 0.22) return 0;
    if (r < 0.3) return int(1_000_000, 9_999_999_999);
    return int(1, 99_999);
  };

  const issueCount = int(1, Math.max(1, options.maxIssues ?? 6));
  const issues: ManagementIssue[] = Array.from({ length: issueCount }, (_, i): ManagementIssue => {
    const issueNumber = i + 1;
    const strategies = numbers(int(1, 4)).map((s): Strategy => {
      const strategyNumber = `${issueNumber}-${s}`;
      const initiatives = numbers(int(0, 4)).map(
        (k): Initiative => ({
          number: `${strategyNumber}-${k}`,
          title: pick(TITLES),
          budgetThousandYen: budget(),
          cmBudgetThousandYen: chance(0.2) ? budget() ?? 0 : null,
          description: chance(0.1) ? '' : sentences(1, 3),
        }),
      );
      return { number: strategyNumber, title: pick(TITLES), description: chance(0.1) ? '' : sentences(1, 2), initiatives };
    });
    return { number: issueNumber, title: pick(TITLES), summary: chance(0.1) ? '' : sentences(1, 3), strategies };
  });

  const reform: Reform | null = chance(0.6)
    ? {
        planName: pick(REFORM_PLAN_NAMES),
        items: Array.from({ length: int(0, 3) }, () => ({ title: pick(REFORM_TITLES), content: sentences(1, 2) })),
      }
    : null;

  return {
    organization: options.organization ?? pick(WARD_NAMES),
    fiscalYear: options.fiscalYear ?? int(1989, 2030),
    documentStatus: options.documentStatus ?? (chance(0.5) ? 'draft' : 'final'),
    head: chance(0.85) ? pick(HEAD_NAMES) : null,
    goal: chance(0.8) ? pick(GOALS) : paragraphs(1, 2),
    mission: Array.from({ length: int(0, 5) }, () => pick(MISSIONS)),
    policy: paragraphs(1, 4),
    issues,
    reform,
    selfEvaluation: chance(0.5)
      ? { achievements: paragraphs(1, 3), challenges: chance(0.8) ? paragraphs(1, 2) : '' }
      : { achievements: '', challenges: '' },
  };
}

/**
 * `count` generated plans (seeds firstSeed, firstSeed+1, …) whose organization and fiscal
 * year pairs are all different, for stores that hold one plan per organization and year.
 */
export function generatePlanSet(count: number, firstSeed = 1): Plan[] {
  const years = 2030 - 1989 + 1;
  if (count > WARD_NAMES.length * years) throw new Error(`at most ${WARD_NAMES.length * years} distinct plans`);
  return Array.from({ length: count }, (_, i) =>
    generatePlan(firstSeed + i, { organization: WARD_NAMES[i % WARD_NAMES.length]!, fiscalYear: 1989 + Math.floor(i / WARD_NAMES.length) }),
  );
}
