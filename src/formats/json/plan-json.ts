import type {
  Indicator,
  IndicatorPoint,
  ItemIdentity,
  Measurement,
  MidYearReview,
  Plan,
  Rating,
  RatingScales,
  Reviews,
  SelfEvaluation,
  YearEndReview,
} from '../../domain/plan.ts';

export const PLAN_FORMAT = 'hoshin-plan/1';
/** `/1` plus optional keys: item ids and cross-year links, indicators, measurements, reviews and the newer forms' fields. */
export const PLAN_FORMAT_2 = 'hoshin-plan/2';
export const PLAN_FORMATS = [PLAN_FORMAT, PLAN_FORMAT_2] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** The `hoshin-plan/1` or `/2` object: the plan with its format tag, keys in the spec's order. */
export interface PlanJson extends Plan {
  format: PlanFormat;
}

/** `/1` leaves out what `/1` consumers do not know (ids, indicators, reviews…); `/2` carries all of it. */
export function toPlanJson(plan: Plan, format: PlanFormat = PLAN_FORMAT): PlanJson {
  const copy = copyPlan(plan, format === PLAN_FORMAT_2);
  const { ratingScales, ...rest } = copy;
  // The spec lists ratingScales right after format.
  return ratingScales === undefined ? { format, ...rest } : { format, ratingScales, ...rest };
}

/**
 * The plan inside a schema-valid `hoshin-plan/1` or `/2` object, with keys this version
 * does not know left out (later versions add keys; the model holds only these). In `/2`,
 * `null` is read as absent (the spec: absent and null mean the same).
 */
export function fromPlanJson(json: PlanJson): Plan {
  return copyPlan(json, json.format === PLAN_FORMAT_2);
}

const present = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

/** Only the keys present (not undefined, not null), in the order given. */
function defined<T extends object>(entries: { [K in keyof T]?: T[K] | null }): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(entries) as [keyof T, T[keyof T] | null | undefined][]) if (present(v)) out[k] = v;
  return out;
}

function identity(item: ItemIdentity, v2: boolean): ItemIdentity {
  return v2 ? defined<ItemIdentity>({ id: item.id, carriedFrom: item.carriedFrom }) : {};
}

function copyPoint(p: IndicatorPoint | null | undefined): IndicatorPoint | undefined {
  return present(p) ? ({ value: p.value, ...defined<IndicatorPoint>({ date: p.date, fiscalYear: p.fiscalYear }) } as IndicatorPoint) : undefined;
}

function copyMeasurement(m: Measurement): Measurement {
  return { date: m.date, value: m.value, ...defined<Measurement>({ note: m.note, source: m.source }) };
}

function copyIndicator(i: Indicator): Indicator {
  return {
    ...defined<Indicator>({ id: i.id }),
    statement: i.statement,
    unit: i.unit,
    direction: i.direction,
    ...defined<Indicator>({
      baseline: copyPoint(i.baseline),
      target: copyPoint(i.target),
      source: i.source,
      measurements: present(i.measurements) ? i.measurements.map(copyMeasurement) : undefined,
    }),
  };
}

const copyIndicators = (list: Indicator[] | null | undefined): Indicator[] | undefined => (present(list) ? list.map(copyIndicator) : undefined);

const copyRating = (r: Rating | null | undefined): Rating | undefined => (present(r) ? { scale: r.scale, code: r.code } : undefined);

function copyReviews(r: Reviews | null | undefined): Reviews | undefined {
  if (!present(r)) return undefined;
  const mid = r.midYear;
  const end = r.yearEnd;
  return defined<Reviews>({
    midYear: present(mid)
      ? defined<MidYearReview>({ implementation: copyRating(mid.implementation), achievement: copyRating(mid.achievement), comment: mid.comment, problemsAndMeasures: mid.problemsAndMeasures })
      : undefined,
    yearEnd: present(end) ? defined<YearEndReview>({ achievement: copyRating(end.achievement), result: end.result, problemsAndMeasures: end.problemsAndMeasures }) : undefined,
  });
}

function copyScales(scales: RatingScales | null | undefined): RatingScales | undefined {
  if (!present(scales)) return undefined;
  // A prototype-less record: a scale named "__proto__" or "constructor" stays data.
  const out = Object.create(null) as RatingScales;
  for (const [name, options] of Object.entries(scales)) {
    out[name] = options.map((o) => ({ code: o.code, label: o.label, ...(o.best === true ? { best: true } : {}) }));
  }
  return out;
}

/** `v2`: copy every `/2` key (ids, indicators, reviews, the newer forms' fields); otherwise only `/1`'s. */
function copyPlan(p: Plan, v2: boolean): Plan {
  const only = <T>(value: T): T | undefined => (v2 ? value : undefined);
  const selfEvaluation: SelfEvaluation = {
    achievements: p.selfEvaluation.achievements,
    challenges: p.selfEvaluation.challenges,
    ...defined<SelfEvaluation>({ quantitative: only(p.selfEvaluation.quantitative), qualitative: only(p.selfEvaluation.qualitative), outlook: only(p.selfEvaluation.outlook) }),
  };
  return {
    // Copied only for /2: a /1 document's unknown keys, ratingScales among them, were never checked by a schema.
    ...defined<Plan>({ ratingScales: v2 ? copyScales(p.ratingScales) : undefined }),
    organization: p.organization,
    fiscalYear: p.fiscalYear,
    documentStatus: p.documentStatus,
    head: p.head,
    goal: p.goal,
    mission: [...p.mission],
    policy: p.policy,
    issues: p.issues.map((issue) => ({
      ...identity(issue, v2),
      number: issue.number,
      title: issue.title,
      summary: issue.summary,
      ...(v2
        ? defined({
            vision: issue.vision,
            currentState: issue.currentState,
            causeAnalysis: issue.causeAnalysis,
            challenge: issue.challenge,
            budgetThousandYen: issue.budgetThousandYen,
            sdgs: present(issue.sdgs) ? [...issue.sdgs] : undefined,
            outcomeIndicators: copyIndicators(issue.outcomeIndicators),
          })
        : {}),
      strategies: issue.strategies.map((s) => ({
        ...identity(s, v2),
        number: s.number,
        title: s.title,
        description: s.description,
        ...(v2 ? defined({ targetState: s.targetState, outcomeIndicators: copyIndicators(s.outcomeIndicators), reviews: copyReviews(s.reviews) }) : {}),
        initiatives: s.initiatives.map((i) => ({
          ...identity(i, v2),
          number: i.number,
          title: i.title,
          budgetThousandYen: i.budgetThousandYen,
          cmBudgetThousandYen: i.cmBudgetThousandYen,
          description: i.description,
          ...(v2
            ? defined({ processIndicators: copyIndicators(i.processIndicators), priorResults: i.priorResults, exitCriterion: i.exitCriterion, reviews: copyReviews(i.reviews) })
            : {}),
        })),
      })),
    })),
    reform: p.reform && {
      planName: p.reform.planName,
      items: p.reform.items.map((i) => ({
        ...identity(i, v2),
        title: i.title,
        content: i.content,
        ...(v2 ? defined({ indicators: copyIndicators(i.indicators), reviews: copyReviews(i.reviews) }) : {}),
      })),
    },
    selfEvaluation,
  };
}

/** hoshin-plan/2, what writers write (the spec); `PLAN_FORMAT` for `/1` consumers. */
export function renderJson(plan: Plan, format: PlanFormat = PLAN_FORMAT_2): string {
  return `${JSON.stringify(toPlanJson(plan, format), null, 2)}\n`;
}
