/**
 * The rules of hoshin-plan/2 beyond /1 (shared/spec/plan-format.md, second half), checked by
 * validatePlan so the JSON reader, the editor and the CLI all refuse the same things with the
 * same messages, each at its field: indicators (values finite numbers, real ISO dates, a
 * measurement not before the plan's fiscal year's start), reviews (every scale defined in
 * ratingScales, every code one of its codes, 課題と改善策 when a rating is not the best), ids
 * unique over items and indicators, SDGs 1–17, and the limits of PLAN_LIMITS.
 */
import { error, type Diagnostic } from '../diagnostic.ts';
import { isItemId, planItems, type ItemKind } from '../item-ids.ts';
import { PLAN_LIMITS } from '../limits.ts';
import type { Indicator, IndicatorPoint, Plan, Rating, RatingOption, RatingScales, Reviews } from '../plan.ts';

/** How validatePlan checks one text field and one list's length; passed in so both say the same. */
export interface RuleChecks {
  text(value: string, field: string, label: string, max: number, options?: { required?: boolean; oneLine?: boolean }): void;
  /** Reports a list over its limit; returns how many of its items to check. */
  listLimit(length: number, max: number, field: string, label: string): number;
  /** Why a budget cannot be stored (budgetProblem), or undefined. */
  budget(value: number, label: string): string | undefined;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` naming a day of the calendar (not 2017-02-30). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The first day of a fiscal year (April 1): no measurement of the plan is dated before it. */
export function fiscalYearStart(fiscalYear: number): string {
  return `${String(fiscalYear).padStart(4, '0')}-04-01`;
}

/**
 * The best option of a scale: the one marked `best: true`, or, when the scale marks none,
 * its first option (docs/plan-format-notes.md). A rating on any other needs 課題と改善策.
 */
export function bestOption(options: readonly RatingOption[]): RatingOption | undefined {
  return options.find((o) => o.best === true) ?? options[0];
}

/** Whether a rating is the best of its scale; undefined when the scale or code is unknown. */
export function isBestRating(scales: RatingScales | undefined, rating: Rating): boolean | undefined {
  const options = scales && Object.hasOwn(scales, rating.scale) ? scales[rating.scale] : undefined;
  if (!options || !options.some((o) => o.code === rating.code)) return undefined;
  return bestOption(options)?.code === rating.code;
}

const present = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

/** Every indicator list of the plan's items, with its field path and a label people read. */
export function indicatorLists(plan: Plan): { path: string; label: string; itemPath: string; list: Indicator[] }[] {
  const out: { path: string; label: string; itemPath: string; list: Indicator[] }[] = [];
  for (const { kind, item, path, label } of planItems(plan)) {
    const name = itemLabel(kind, label, path);
    const i = item as { outcomeIndicators?: Indicator[] | null; processIndicators?: Indicator[] | null; indicators?: Indicator[] | null };
    if (present(i.outcomeIndicators)) out.push({ path: `${path}.outcomeIndicators`, label: `${name}のアウトカム指標`, itemPath: path, list: i.outcomeIndicators });
    if (present(i.processIndicators)) out.push({ path: `${path}.processIndicators`, label: `${name}の業績目標`, itemPath: path, list: i.processIndicators });
    if (present(i.indicators)) out.push({ path: `${path}.indicators`, label: `${name}の指標`, itemPath: path, list: i.indicators });
  }
  return out;
}

function itemLabel(kind: ItemKind, label: string, path: string): string {
  switch (kind) {
    case 'issue':
      return `経営課題${label}`;
    case 'strategy':
      return `戦略${label}`;
    case 'initiative':
      return `具体的取組${label}`;
    case 'reformItem':
      return `様式3の${Number(/\[(\d+)\]$/.exec(path)?.[1] ?? 0) + 1}番目の取組項目`;
  }
}

/**
 * Every problem of the plan's hoshin-plan/2 parts. `checked` holds the item paths validatePlan
 * checks one by one (those within their lists' limits): items past a limit are not looked into.
 */
export function planRuleProblems(plan: Plan, checks: RuleChecks, checked: ReadonlySet<string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { chars, items } = PLAN_LIMITS;
  const scales = checkScales(plan, checks, out);

  // Ids: one namespace over items and indicators (measurements and links hang on them).
  const firstId = new Map<string, string>();
  for (const { item, path } of planItems(plan)) if (item.id !== undefined && isItemId(item.id) && !firstId.has(item.id)) firstId.set(item.id, path);

  for (const { kind, item, path, label } of planItems(plan)) {
    if (!checked.has(path)) continue;
    const name = itemLabel(kind, label, path);
    if (kind === 'issue') {
      const issue = plan.issues[Number(/^issues\[(\d+)\]$/.exec(path)![1])]!;
      for (const [key, what] of [['vision', 'めざすべき将来像'], ['currentState', '現状'], ['causeAnalysis', '要因分析'], ['challenge', '課題']] as const) {
        const v = issue[key];
        if (present(v)) checks.text(v, `${path}.${key}`, `${name}の${what}`, chars.text);
      }
      if (present(issue.budgetThousandYen)) {
        const problem = checks.budget(issue.budgetThousandYen, `${name}の予算額`);
        if (problem) out.push(error(problem, { field: `${path}.budgetThousandYen` }));
      }
      if (present(issue.sdgs)) {
        const seen = new Set<number>();
        issue.sdgs.forEach((goal, n) => {
          const field = `${path}.sdgs[${n}]`;
          if (!Number.isInteger(goal) || goal < 1 || goal > 17) out.push(error(`${name}のSDGsの目標番号 ${String(goal)} は1から17までの整数にしてください`, { field }));
          else if (seen.has(goal)) out.push(error(`${name}のSDGsの目標 ${goal} が2回あります`, { field }));
          seen.add(goal);
        });
      }
    } else if (kind === 'strategy') {
      const s = item as { targetState?: string | null };
      if (present(s.targetState)) checks.text(s.targetState, `${path}.targetState`, `${name}のめざす状態`, chars.text);
    } else if (kind === 'initiative') {
      const i = item as { priorResults?: string | null; exitCriterion?: string | null };
      if (present(i.priorResults)) checks.text(i.priorResults, `${path}.priorResults`, `${name}の前年度までの実績`, chars.text);
      if (present(i.exitCriterion)) checks.text(i.exitCriterion, `${path}.exitCriterion`, `${name}の撤退・再構築基準`, chars.text);
    }
    const reviews = (item as { reviews?: Reviews | null }).reviews;
    if (present(reviews)) checkReviews(reviews, `${path}.reviews`, name, scales, checks, out);
  }

  for (const { path, label, itemPath, list } of indicatorLists(plan)) {
    if (!checked.has(itemPath)) continue;
    const count = checks.listLimit(list.length, items.indicatorsPerList, path, label);
    for (let n = 0; n < count; n++) {
      const at = `${path}[${n}]`;
      const indicator = list[n]!;
      const name = `${label}の${n + 1}番目`;
      if (present(indicator.id)) {
        if (!isItemId(indicator.id)) {
          out.push(error(`id「${String(indicator.id).slice(0, 80)}」は英数字・ハイフン・下線の64文字以内にしてください`, { field: `${at}.id` }));
        } else {
          const first = firstId.get(indicator.id);
          if (first !== undefined) out.push(error(`id「${indicator.id}」が ${first} と重複しています`, { field: `${at}.id` }));
          else firstId.set(indicator.id, at);
        }
      }
      checkIndicator(indicator, at, name, plan.fiscalYear, checks, out);
    }
  }

  const e = plan.selfEvaluation;
  for (const [key, what] of [['quantitative', '定量評価'], ['qualitative', '定性評価'], ['outlook', '今後の方針']] as const) {
    const v = e[key];
    if (present(v)) checks.text(v, `selfEvaluation.${key}`, `自己評価の${what}`, chars.text);
  }
  return out;
}

/** The plan's scales, checked; undefined entries are left out of what reviews may name. */
function checkScales(plan: Plan, checks: RuleChecks, out: Diagnostic[]): RatingScales {
  const { chars, items } = PLAN_LIMITS;
  const scales = Object.create(null) as RatingScales;
  if (!present(plan.ratingScales)) return scales;
  const entries = Object.entries(plan.ratingScales);
  const count = checks.listLimit(entries.length, items.ratingScales, 'ratingScales', '評価の尺度');
  for (const [name, options] of entries.slice(0, count)) {
    const at = `ratingScales.${name}`;
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) out.push(error(`評価の尺度の名前「${name.slice(0, 80)}」は英数字・ハイフン・下線・ピリオドの64文字以内にしてください`, { field: at }));
    if (!Array.isArray(options) || options.length === 0) {
      out.push(error(`評価の尺度「${name}」に評価の区分がありません`, { field: at }));
      continue;
    }
    const n = checks.listLimit(options.length, items.ratingOptions, at, `評価の尺度「${name}」の区分`);
    const codes = new Set<string>();
    let bests = 0;
    for (let k = 0; k < n; k++) {
      const o = options[k]!;
      checks.text(o.code, `${at}[${k}].code`, `評価の尺度「${name}」の${k + 1}番目の区分の記号`, chars.ratingCode, { required: true, oneLine: true });
      checks.text(o.label, `${at}[${k}].label`, `評価の尺度「${name}」の区分「${o.code}」の名前`, chars.ratingLabel, { oneLine: true });
      if (codes.has(o.code)) out.push(error(`評価の尺度「${name}」に区分「${o.code}」が2回あります`, { field: `${at}[${k}].code` }));
      codes.add(o.code);
      if (o.best === true && ++bests === 2) out.push(error(`評価の尺度「${name}」で最もよい区分(best)は1つにしてください`, { field: `${at}[${k}].best` }));
    }
    scales[name] = options;
  }
  return scales;
}

function checkRating(rating: Rating, field: string, label: string, scales: RatingScales, out: Diagnostic[]): boolean | undefined {
  if (!Object.hasOwn(scales, rating.scale)) {
    out.push(error(`${label}の評価の尺度「${String(rating.scale).slice(0, 80)}」が ratingScales にありません`, { field: `${field}.scale` }));
    return undefined;
  }
  const best = isBestRating(scales, rating);
  if (best === undefined) {
    const codes = scales[rating.scale]!.map((o) => o.code).join(' / ');
    out.push(error(`${label}の評価「${String(rating.code).slice(0, 80)}」は尺度「${rating.scale}」の区分(${codes})にありません`, { field: `${field}.code` }));
  }
  return best;
}

function checkReviews(reviews: Reviews, at: string, name: string, scales: RatingScales, checks: RuleChecks, out: Diagnostic[]): void {
  const { text } = PLAN_LIMITS.chars;
  const mid = reviews.midYear;
  if (present(mid)) {
    const field = `${at}.midYear`;
    const label = `${name}の中間振り返り`;
    const ratings = [
      present(mid.implementation) ? checkRating(mid.implementation, `${field}.implementation`, `${label}(取組内容の実施見込み)`, scales, out) : undefined,
      present(mid.achievement) ? checkRating(mid.achievement, `${field}.achievement`, `${label}(目標の達成見込み)`, scales, out) : undefined,
    ];
    if (present(mid.comment)) checks.text(mid.comment, `${field}.comment`, `${label}の取組の進捗状況`, text);
    checkProblems(mid.problemsAndMeasures, ratings, field, label, checks, out);
  }
  const end = reviews.yearEnd;
  if (present(end)) {
    const field = `${at}.yearEnd`;
    const label = `${name}の年度末の自己評価`;
    const ratings = [present(end.achievement) ? checkRating(end.achievement, `${field}.achievement`, `${label}(目標の達成状況)`, scales, out) : undefined];
    if (present(end.result)) checks.text(end.result, `${field}.result`, `${label}の取組実績`, text);
    checkProblems(end.problemsAndMeasures, ratings, field, label, checks, out);
  }
}

/** 課題と改善策: required when a rating is known and not the best of its scale. */
function checkProblems(value: string | null | undefined, ratings: (boolean | undefined)[], field: string, label: string, checks: RuleChecks, out: Diagnostic[]): void {
  if (present(value)) checks.text(value, `${field}.problemsAndMeasures`, `${label}の課題と改善策`, PLAN_LIMITS.chars.text);
  if (ratings.includes(false) && (!present(value) || value.trim() === '')) {
    out.push(error(`${label}の評価が最もよい区分ではないため、課題と改善策を入力してください`, { field: `${field}.problemsAndMeasures` }));
  }
}

function checkNumber(value: unknown, field: string, label: string, out: Diagnostic[]): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) out.push(error(`${label}は有限の数値にしてください(現在 ${String(value).slice(0, 40)})`, { field }));
}

function checkPoint(point: IndicatorPoint, at: string, label: string, out: Diagnostic[]): void {
  checkNumber(point.value, `${at}.value`, `${label}の値`, out);
  const hasDate = present(point.date);
  const hasYear = present(point.fiscalYear);
  if (hasDate === hasYear) out.push(error(`${label}には日付(date)か年度(fiscalYear)のどちらか一方を指定してください`, { field: at }));
  if (hasDate && !isIsoDate(point.date)) out.push(error(`${label}の日付「${String(point.date).slice(0, 40)}」は実在する日付(YYYY-MM-DD)にしてください`, { field: `${at}.date` }));
  if (hasYear && (!Number.isInteger(point.fiscalYear) || point.fiscalYear! < 1869 || point.fiscalYear! > 2200)) {
    out.push(error(`${label}の年度 ${String(point.fiscalYear)} は有効な年度ではありません`, { field: `${at}.fiscalYear` }));
  }
}

function checkIndicator(indicator: Indicator, at: string, name: string, fiscalYear: number, checks: RuleChecks, out: Diagnostic[]): void {
  const { chars, items } = PLAN_LIMITS;
  checks.text(indicator.statement, `${at}.statement`, `${name}の指標`, chars.indicatorStatement, { required: true });
  checks.text(indicator.unit, `${at}.unit`, `${name}の指標の単位`, chars.unit, { oneLine: true });
  if (indicator.direction !== 'higher' && indicator.direction !== 'lower') {
    out.push(error(`${name}の指標の方向「${String(indicator.direction)}」は higher(高いほどよい)か lower(低いほどよい)にしてください`, { field: `${at}.direction` }));
  }
  if (present(indicator.baseline)) checkPoint(indicator.baseline, `${at}.baseline`, `${name}の指標の基準値`, out);
  if (present(indicator.target)) checkPoint(indicator.target, `${at}.target`, `${name}の指標の目標値`, out);
  if (present(indicator.source)) checks.text(indicator.source, `${at}.source`, `${name}の指標の出典`, chars.source, { oneLine: true });
  if (!present(indicator.measurements)) return;
  const start = fiscalYearStart(fiscalYear);
  const count = checks.listLimit(indicator.measurements.length, items.measurementsPerIndicator, `${at}.measurements`, `${name}の指標の測定値`);
  for (let k = 0; k < count; k++) {
    const m = indicator.measurements[k]!;
    const field = `${at}.measurements[${k}]`;
    const label = `${name}の指標の${k + 1}番目の測定値`;
    if (!isIsoDate(m.date)) out.push(error(`${label}の日付「${String(m.date).slice(0, 40)}」は実在する日付(YYYY-MM-DD)にしてください`, { field: `${field}.date` }));
    else if (m.date < start) out.push(error(`${label}の日付 ${m.date} は計画の年度の始まり(${start})より前です`, { field: `${field}.date` }));
    checkNumber(m.value, `${field}.value`, `${label}`, out);
    if (present(m.note)) checks.text(m.note, `${field}.note`, `${label}の備考`, chars.text);
    if (present(m.source)) checks.text(m.source, `${field}.source`, `${label}の出典`, chars.source, { oneLine: true });
  }
}

/** Characters of the plan's hoshin-plan/2 texts, for the plan's total; measurements are kept beside the plan, so not counted. */
export function planRuleChars(plan: Plan, count: (s: string) => number): number {
  let n = 0;
  const add = (s: string | null | undefined) => {
    if (typeof s === 'string') n += count(s);
  };
  for (const issue of plan.issues) {
    add(issue.vision);
    add(issue.currentState);
    add(issue.causeAnalysis);
    add(issue.challenge);
    for (const s of issue.strategies) {
      add(s.targetState);
      addReviews(s.reviews, add);
      for (const i of s.initiatives) {
        add(i.priorResults);
        add(i.exitCriterion);
        addReviews(i.reviews, add);
      }
    }
  }
  for (const item of plan.reform?.items ?? []) addReviews(item.reviews, add);
  for (const { list } of indicatorLists(plan)) {
    for (const i of list) {
      add(i.statement);
      add(i.unit);
      add(i.source);
    }
  }
  add(plan.selfEvaluation.quantitative);
  add(plan.selfEvaluation.qualitative);
  add(plan.selfEvaluation.outlook);
  return n;
}

function addReviews(r: Reviews | null | undefined, add: (s: string | null | undefined) => void): void {
  add(r?.midYear?.comment);
  add(r?.midYear?.problemsAndMeasures);
  add(r?.yearEnd?.result);
  add(r?.yearEnd?.problemsAndMeasures);
}

/** The names of the scales the plan's reviews rate on, in document order. */
export function usedScaleNames(plan: Plan): string[] {
  const names = new Set<string>();
  for (const { item } of planItems(plan)) {
    const r = (item as { reviews?: Reviews | null }).reviews;
    for (const rating of [r?.midYear?.implementation, r?.midYear?.achievement, r?.yearEnd?.achievement]) if (present(rating)) names.add(rating.scale);
  }
  return [...names];
}

/**
 * The plan with every scale its reviews name defined in `ratingScales` (the rule validatePlan
 * checks): those it has are kept, a missing one is taken from `available` (a city's scales,
 * then Osaka's). What the editor and the API call before saving or serving reviews.
 */
export function withUsedScales(plan: Plan, ...available: RatingScales[]): Plan {
  const missing = usedScaleNames(plan).filter((name) => !(plan.ratingScales && Object.hasOwn(plan.ratingScales, name)));
  if (missing.length === 0) return plan;
  const scales: RatingScales = { ...plan.ratingScales };
  for (const name of missing) {
    const found = available.find((s) => Object.hasOwn(s, name));
    if (found) scales[name] = found[name]!;
  }
  return { ...plan, ratingScales: scales };
}
