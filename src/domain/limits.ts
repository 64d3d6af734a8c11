/**
 * How large a plan may be, as data: `validatePlan` enforces every value here, so the
 * editor, uploads, the CLI and the JSON API all refuse the same things with the same
 * messages. docs/limits.md gives the reason for each value and the editor's cost at them.
 *
 * Real 運営方針 are far below these: the seed's longest paragraph is 336 characters, its
 * longest title 30, and a ward plan holds 4–6 issues and a few dozen initiatives. The
 * limits are generous so no real document meets them, and bounded so a plan at all of them
 * at once still renders as an editor page a browser can use.
 */
export const PLAN_LIMITS = {
  /** Characters (Unicode code points) per text field. */
  chars: {
    /** 組織名: the longest Japanese organization names are a few dozen characters. */
    organization: 100,
    /** 区長 (or 局長…) name. */
    head: 100,
    /** Titles of issues, strategies, initiatives and 様式3 items: one line of a table cell. */
    title: 200,
    /**
     * 様式3's plan name (市政改革プラン2.0). It is written inside the section heading, and the text
     * layout reads no line over 80 characters as a heading: 60 keeps a text export readable.
     */
    planName: 60,
    /** One bullet of 区の使命. */
    missionItem: 1_000,
    /**
     * Paragraph fields: goal, policy, summaries, descriptions, 様式3 content, self-evaluation, and
     * hoshin-plan/2's texts (vision, current state, reviews' comments and 課題と改善策, notes).
     */
    text: 10_000,
    /** What an indicator measures: one sentence of a form's cell. */
    indicatorStatement: 1_000,
    /** An indicator's unit as written (%, 人, 件, 回, 千円…). */
    unit: 20,
    /** Where an indicator's or a measurement's values come from (区民アンケート…). */
    source: 200,
    /** A rating code (①, (ⅰ), A) and its label (達成見込み). */
    ratingCode: 20,
    ratingLabel: 100,
  },
  /** Items per list. */
  items: {
    mission: 50,
    issues: 50,
    strategiesPerIssue: 50,
    initiativesPerStrategy: 100,
    reformItems: 100,
    /** Indicators in one list of one item (outcome, process or reform indicators): forms give 1–3. */
    indicatorsPerList: 20,
    /** Measurements of one indicator: monthly for 80 years; they are kept beside the plan, not in revisions. */
    measurementsPerIndicator: 1_000,
    /** Rating scales a plan carries, and codes per scale. */
    ratingScales: 50,
    ratingOptions: 20,
  },
  /** The whole plan. */
  plan: {
    /** Initiatives over all issues and strategies. */
    initiatives: 1_000,
    /** Characters over every text field together. */
    chars: 300_000,
  },
  /**
   * Budgets in 千円: integers 0…max. 99,999,999,999千円 (about 100 trillion yen) is above any
   * Japanese public budget (Osaka City's whole budget is about 2 billion 千円), and 1,000 initiatives
   * at the maximum still sum to a safe integer (1e14 < 2^53), so totals stay exact.
   */
  budgetThousandYen: { max: 99_999_999_999 },
  /**
   * Nesting of a hoshin-plan/1 JSON document. The format uses 8 levels (plan → issues → issue →
   * strategies → strategy → initiatives → initiative → value); the rest is room for keys later
   * versions may add, which readers of /1 accept and drop.
   */
  jsonDepth: 32,
} as const;

/** 1234 → "1,234", as every size in a message is written. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
