import { error, type Diagnostic } from '../../domain/diagnostic.ts';
import { isItemId } from '../../domain/item-ids.ts';
import { localNumber } from '../../domain/numbering.ts';
import { gregorianFromEra } from '../../domain/fiscal-year.ts';
import {
  DOCUMENT_STATUSES, type DocumentStatus, type Indicator, type IndicatorPoint, type Initiative, type ItemIdentity, type MidYearReview, type Plan,
  type Rating, type Reviews, type SelfEvaluation, type Strategy, type YearEndReview,
} from '../../domain/plan.ts';
import { budgetProblem } from '../../domain/validate.ts';

/**
 * The editor is one plain HTML form for the whole plan, with field names that are the
 * plan's own paths (`issues[0].strategies[1].initiatives[0].budgetThousandYen`), so the
 * problems validation reports land beside the field they concern.
 *
 * Item numbers are edited as their last part only ("4" of strategy "2-4"); the prefix
 * always follows the parent, so an item can never carry its parent's old number.
 */

export type FormFields = Record<string, string>;

export interface ParsedForm {
  plan: Plan;
  /** Values that could not be read (an amount that is not a number), by field path. */
  problems: Diagnostic[];
  /** The text the user typed for those fields, to show it back unchanged. */
  raw: Map<string, string>;
}

/** Segments that would lead an assignment to an object's prototype instead of the object. */
const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** `issues[0].title` → ["issues", 0, "title"]; undefined for a name reaching for a prototype. */
function segments(path: string): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d{1,4})\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (FORBIDDEN_SEGMENTS.has(m[1]!)) return undefined;
    else out.push(m[1]!);
  }
  return out;
}

/**
 * The fields as a tree of prototype-less records and arrays. The server refuses dangerous
 * names before this runs; skipping them here too keeps the editor safe on its own. A list
 * takes only indexes and a record only names, so "issues.length" never reaches an array.
 */
function buildTree(fields: FormFields): Record<string, unknown> {
  const root = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of Object.entries(fields)) {
    if (name.startsWith('_') || name === 'action') continue;
    const segs = segments(name);
    if (!segs || segs.length === 0) continue;
    let node: Record<string | number, unknown> = root;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i]!;
      if (Array.isArray(node) !== (typeof seg === 'number')) break;
      if (i === segs.length - 1) {
        node[seg] = value;
        break;
      }
      const child = node[seg];
      if (typeof child !== 'object' || child === null) node[seg] = typeof segs[i + 1] === 'number' ? [] : Object.create(null);
      node = node[seg] as Record<string | number, unknown>;
    }
  }
  return root;
}

/** Items of an indexed list, in index order; holes (never sent) dropped. */
function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : [];
}

function text(value: unknown): string {
  // Browsers send CRLF in textareas; the model keeps "\n".
  return typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : '';
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').map(text) : [];
}

/** Accepts "22,268", "２２，２６８", "" and "-" (none); undefined when not a number at all. */
export function parseAmount(value: string): number | null | undefined {
  const s = value.normalize('NFKC').replace(/[,\s]/g, '').replace(/千円$/, '');
  if (s === '' || /^[-‐―−ー]$/.test(s)) return null;
  // Negative (also △/▲, as Japanese accounts write it), fractional and huge amounts are read as
  // written, so the caller can say which rule they break rather than that they are not numbers.
  const m = /^([-‐―−ー△▲]?)(\d+(?:\.\d+)?)$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[2]);
  return m[1] && n !== 0 ? -n : n;
}

export { localNumber };

/** An item's stable id and its link to last year, carried through the form in hidden fields; anything not shaped like an id is dropped (a new one is given on save). */
function identity(item: Record<string, unknown>): ItemIdentity {
  const id = text(item['id']);
  const carriedFrom = text(item['carriedFrom']);
  return { ...(isItemId(id) ? { id } : {}), ...(isItemId(carriedFrom) ? { carriedFrom } : {}) };
}

export function planFromForm(fields: FormFields, fixed: { organization: string; fiscalYear: number }): ParsedForm {
  const tree = buildTree(fields);
  const problems: Diagnostic[] = [];
  const raw = new Map<string, string>();
  const amount = (value: unknown, field: string, label: string): number | null => {
    const s = text(value);
    const n = parseAmount(s);
    const problem = n === undefined ? `${label}「${s}」は数値ではありません(千円単位の数で入力してください)` : n === null ? undefined : budgetProblem(n, label, s);
    if (problem === undefined) return n ?? null;
    problems.push(error(problem, { field }));
    raw.set(field, s);
    return null;
  };
  const bad = (field: string, written: string, message: string) => {
    problems.push(error(message, { field }));
    raw.set(field, written);
  };
  const read: Readers = {
    indicators: (value, at, label) => readIndicators(value, at, label, bad),
    sdgs: (value, field) => readSdgs(value, field, bad),
    issueBudget: (value, field, label) => {
      const s = text(value);
      return s === '' ? undefined : amount(s, field, label);
    },
  };

  const issues = list(tree['issues']).map((issue, i) => {
    const issueNumberText = text(issue['number']).normalize('NFKC');
    const issueNumber = /^\d{1,4}$/.test(issueNumberText) ? Number(issueNumberText) : Number.NaN;
    if (Number.isNaN(issueNumber)) raw.set(`issues[${i}].number`, issueNumberText);
    const strategies: Strategy[] = list(issue['strategies']).map((s, j) => {
      const sNumber = `${issueNumber}-${text(s['number']).normalize('NFKC')}`;
      const initiatives: Initiative[] = list(s['initiatives']).map((it, k) => {
        const at = `issues[${i}].strategies[${j}].initiatives[${k}]`;
        const number = `${sNumber}-${text(it['number']).normalize('NFKC')}`;
        return {
          ...identity(it),
          number,
          title: text(it['title']),
          budgetThousandYen: amount(it['budgetThousandYen'], `${at}.budgetThousandYen`, `具体的取組${number}の予算額`),
          cmBudgetThousandYen: amount(it['cmBudgetThousandYen'], `${at}.cmBudgetThousandYen`, `具体的取組${number}の区CM予算額`),
          description: text(it['description']),
          ...optional(it, ['priorResults', 'exitCriterion']),
          ...list_('processIndicators', read.indicators(it['processIndicators'], `${at}.processIndicators`, `具体的取組${number}の業績目標`)),
          ...reviewsOf(it),
        };
      });
      const sat = `issues[${i}].strategies[${j}]`;
      return {
        ...identity(s), number: sNumber, title: text(s['title']), description: text(s['description']), initiatives,
        ...optional(s, ['targetState']),
        ...list_('outcomeIndicators', read.indicators(s['outcomeIndicators'], `${sat}.outcomeIndicators`, `戦略${sNumber}のアウトカム指標`)),
        ...reviewsOf(s),
      };
    });
    const budget = read.issueBudget(issue['budgetThousandYen'], `issues[${i}].budgetThousandYen`, `経営課題${issueNumberText}の予算額`);
    return {
      ...identity(issue), number: issueNumber, title: text(issue['title']), summary: text(issue['summary']), strategies,
      ...optional(issue, ['vision', 'currentState', 'causeAnalysis', 'challenge']),
      ...(budget === undefined ? {} : { budgetThousandYen: budget }),
      ...list_('sdgs', read.sdgs(issue['sdgs'], `issues[${i}].sdgs`)),
      ...list_('outcomeIndicators', read.indicators(issue['outcomeIndicators'], `issues[${i}].outcomeIndicators`, `経営課題${issueNumberText}のアウトカム指標`)),
    };
  });

  const reformTree = tree['reform'] as Record<string, unknown> | undefined;
  const status = text(tree['documentStatus']) as DocumentStatus;
  const evaluation = (tree['selfEvaluation'] ?? {}) as Record<string, unknown>;
  const plan: Plan = {
    organization: fixed.organization,
    fiscalYear: fixed.fiscalYear,
    documentStatus: DOCUMENT_STATUSES.includes(status) ? status : 'draft',
    head: text(tree['head']) || null,
    goal: text(tree['goal']),
    mission: strings(tree['mission']),
    policy: text(tree['policy']),
    issues,
    reform:
      reformTree && text(reformTree['present']) === '1'
        ? {
          planName: text(reformTree['planName']),
          items: list(reformTree['items']).map((it, i) => ({
            ...identity(it), title: text(it['title']), content: text(it['content']),
            ...list_('indicators', read.indicators(it['indicators'], `reform.items[${i}].indicators`, `様式3の取組項目${i + 1}の指標`)),
            ...reviewsOf(it),
          })),
        }
        : null,
    selfEvaluation: {
      achievements: text(evaluation['achievements']), challenges: text(evaluation['challenges']),
      ...(optional(evaluation, ['quantitative', 'qualitative', 'outlook']) as Partial<SelfEvaluation>),
    },
  };
  return { plan, problems, raw };
}

/**
 * The plan as the editor form's fields: what `planFromForm` reads back to the same plan.
 * The conflict screen carries the user's version in these, hidden, while they choose.
 */
export function planToFormFields(plan: Plan): [string, string][] {
  const out: [string, string][] = [];
  const put = (name: string, value: string | undefined) => {
    if (value !== undefined) out.push([name, value]);
  };
  const ids = (at: string, item: ItemIdentity) => {
    put(`${at}.id`, item.id);
    put(`${at}.carriedFrom`, item.carriedFrom);
  };
  put('documentStatus', plan.documentStatus);
  put('head', plan.head ?? '');
  put('goal', plan.goal);
  plan.mission.forEach((m, i) => put(`mission[${i}]`, m));
  put('policy', plan.policy);
  plan.issues.forEach((issue, i) => {
    const at = `issues[${i}]`;
    ids(at, issue);
    put(`${at}.number`, String(issue.number));
    put(`${at}.title`, issue.title);
    put(`${at}.summary`, issue.summary);
    for (const k of ['vision', 'currentState', 'causeAnalysis', 'challenge'] as const) put(`${at}.${k}`, issue[k]);
    if (issue.budgetThousandYen !== undefined) put(`${at}.budgetThousandYen`, issue.budgetThousandYen === null ? '-' : String(issue.budgetThousandYen));
    if (issue.sdgs && issue.sdgs.length > 0) put(`${at}.sdgs`, formatSdgs(issue.sdgs));
    indicatorFields(`${at}.outcomeIndicators`, issue.outcomeIndicators, put);
    issue.strategies.forEach((s, j) => {
      const sat = `${at}.strategies[${j}]`;
      ids(sat, s);
      put(`${sat}.number`, localNumber(s.number));
      put(`${sat}.title`, s.title);
      put(`${sat}.description`, s.description);
      put(`${sat}.targetState`, s.targetState);
      indicatorFields(`${sat}.outcomeIndicators`, s.outcomeIndicators, put);
      reviewFields(`${sat}.reviews`, s.reviews, put);
      s.initiatives.forEach((it, k) => {
        const iat = `${sat}.initiatives[${k}]`;
        ids(iat, it);
        put(`${iat}.number`, localNumber(it.number));
        put(`${iat}.title`, it.title);
        put(`${iat}.budgetThousandYen`, it.budgetThousandYen === null ? '-' : String(it.budgetThousandYen));
        put(`${iat}.cmBudgetThousandYen`, it.cmBudgetThousandYen === null ? '' : String(it.cmBudgetThousandYen));
        put(`${iat}.description`, it.description);
        put(`${iat}.priorResults`, it.priorResults);
        put(`${iat}.exitCriterion`, it.exitCriterion);
        indicatorFields(`${iat}.processIndicators`, it.processIndicators, put);
        reviewFields(`${iat}.reviews`, it.reviews, put);
      });
    });
  });
  if (plan.reform) {
    put('reform.present', '1');
    put('reform.planName', plan.reform.planName);
    plan.reform.items.forEach((item, i) => {
      ids(`reform.items[${i}]`, item);
      put(`reform.items[${i}].title`, item.title);
      put(`reform.items[${i}].content`, item.content);
      indicatorFields(`reform.items[${i}].indicators`, item.indicators, put);
      reviewFields(`reform.items[${i}].reviews`, item.reviews, put);
    });
  }
  put('selfEvaluation.achievements', plan.selfEvaluation.achievements);
  put('selfEvaluation.challenges', plan.selfEvaluation.challenges);
  put('selfEvaluation.quantitative', plan.selfEvaluation.quantitative);
  put('selfEvaluation.qualitative', plan.selfEvaluation.qualitative);
  put('selfEvaluation.outlook', plan.selfEvaluation.outlook);
  return out;
}

type Put = (name: string, value: string | undefined) => void;

/** A number as the form shows it back: what readNumber reads to the same number. */
export function formatNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : '';
}

export function formatPointWhen(point: IndicatorPoint | null | undefined): { date: string; fiscalYear: string } {
  return { date: point?.date ?? '', fiscalYear: point?.fiscalYear === undefined ? '' : String(point.fiscalYear) };
}

function indicatorFields(at: string, indicators: Indicator[] | undefined, put: Put): void {
  // Measurements live beside the plan, not in the form: they are never fields.
  indicators?.forEach((ind, n) => {
    const a = `${at}[${n}]`;
    put(`${a}.id`, ind.id);
    put(`${a}.statement`, ind.statement);
    put(`${a}.unit`, ind.unit);
    put(`${a}.direction`, ind.direction);
    put(`${a}.source`, ind.source);
    for (const which of ['baseline', 'target'] as const) {
      const p = ind[which];
      if (!p) continue;
      put(`${a}.${which}.value`, formatNumber(p.value));
      if (p.date !== undefined) put(`${a}.${which}.date`, p.date);
      if (p.fiscalYear !== undefined) put(`${a}.${which}.fiscalYear`, String(p.fiscalYear));
    }
  });
}

function reviewFields(at: string, reviews: Reviews | undefined, put: Put): void {
  const rating = (name: string, r: Rating | null | undefined) => {
    if (!r) return;
    put(`${name}.scale`, r.scale);
    put(`${name}.code`, r.code);
  };
  const mid = reviews?.midYear;
  if (mid) {
    rating(`${at}.midYear.implementation`, mid.implementation);
    rating(`${at}.midYear.achievement`, mid.achievement);
    put(`${at}.midYear.comment`, mid.comment);
    put(`${at}.midYear.problemsAndMeasures`, mid.problemsAndMeasures);
  }
  const end = reviews?.yearEnd;
  if (end) {
    rating(`${at}.yearEnd.achievement`, end.achievement);
    put(`${at}.yearEnd.result`, end.result);
    put(`${at}.yearEnd.problemsAndMeasures`, end.problemsAndMeasures);
  }
}

export function formatSdgs(sdgs: readonly number[]): string {
  return sdgs.join(', ');
}

// ---------------------------------------------------------------- reading the /2 parts

type Bad = (field: string, written: string, message: string) => void;

interface Readers {
  indicators(value: unknown, at: string, label: string): Indicator[];
  sdgs(value: unknown, field: string): number[];
  issueBudget(value: unknown, field: string, label: string): number | null | undefined;
}

/** Optional texts: present only when filled, so an untouched plan reads back as it was. */
function optional(node: Record<string, unknown>, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = text(node[k]);
    if (v !== '') out[k] = v;
  }
  return out;
}

function list_<K extends string, T>(key: K, items: T[]): { [P in K]?: T[] } {
  return (items.length > 0 ? { [key]: items } : {}) as { [P in K]?: T[] };
}

/**
 * An indicator's value: read with the budgets' tolerance (full-width digits, commas,
 * spaces), and also decimals and negatives, since a rate or a change can be either.
 */
export function readNumber(value: string): number | null | undefined {
  const s = value.normalize('NFKC').replace(/[,\s]/g, '');
  if (s === '') return null;
  const m = /^([-‐―−ー△▲]?)(\d+(?:\.\d+)?|\.\d+)$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[2]);
  return m[1] && n !== 0 ? -n : n;
}

/** "2016", "2016年度", "平成28年度", "令和元年度" → 2016…; undefined when not a fiscal year. */
export function readFiscalYear(value: string): number | null | undefined {
  const s = value.normalize('NFKC').replace(/\s/g, '').replace(/年度?$/, '');
  if (s === '') return null;
  if (/^\d{4}$/.test(s)) return Number(s);
  const era = /^(\D+?)(元|\d{1,2})$/.exec(s);
  if (!era) return undefined;
  return gregorianFromEra(era[1]!, era[2] === '元' ? 1 : Number(era[2]));
}

/** "2016-10-31", "2016/10/31", "2016年10月31日" → "2016-10-31"; undefined when not a real date. */
export function readDate(value: string): string | null | undefined {
  const s = value.normalize('NFKC').replace(/\s/g, '');
  if (s === '') return null;
  const m = /^(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function readPoint(node: unknown, at: string, label: string, bad: Bad): IndicatorPoint | undefined {
  const n = record(node);
  const [v, d, fy] = [text(n['value']), text(n['date']), text(n['fiscalYear'])];
  if (v === '' && d === '' && fy === '') return undefined;
  const value = readNumber(v);
  const date = readDate(d);
  const fiscalYear = readFiscalYear(fy);
  const yearOk = fiscalYear === null || (fiscalYear !== undefined && fiscalYear >= 1989 && fiscalYear <= 2200);
  if (value === null) bad(`${at}.value`, v, `${label}の値を入力してください(時点だけでは記録できません)`);
  else if (value === undefined) bad(`${at}.value`, v, `${label}の値「${v}」は数値ではありません`);
  if (date === undefined) bad(`${at}.date`, d, `${label}の日付「${d}」は日付ではありません(2017-03-31 のように入力してください)`);
  if (!yearOk) bad(`${at}.fiscalYear`, fy, `${label}の年度「${fy}」は年度ではありません(2019 のように西暦で入力してください)`);
  // Unreadable parts come back as typed (raw); the readable ones are kept so nothing else is lost.
  return {
    value: typeof value === 'number' ? value : 0,
    ...(date ? { date } : {}),
    ...(yearOk && typeof fiscalYear === 'number' ? { fiscalYear } : {}),
  };
}

/** Indicators as the form sends them; what a plan requires of them (a statement…) is validatePlan's to say. */
function readIndicators(value: unknown, at: string, label: string, bad: Bad): Indicator[] {
  return list(value).map((node, n) => {
    const a = `${at}[${n}]`;
    const id = text(node['id']);
    const direction = text(node['direction']) === 'lower' ? 'lower' : 'higher';
    const statement = text(node['statement']);
    const baseline = readPoint(node['baseline'], `${a}.baseline`, `${label}${n + 1}の基準値`, bad);
    const target = readPoint(node['target'], `${a}.target`, `${label}${n + 1}の目標値`, bad);
    const source = text(node['source']);
    return {
      ...(isItemId(id) ? { id } : {}),
      statement, unit: text(node['unit']), direction,
      ...(baseline ? { baseline } : {}),
      ...(target ? { target } : {}),
      ...(source !== '' ? { source } : {}),
    } satisfies Indicator;
  });
}

function readSdgs(value: unknown, field: string, bad: Bad): number[] {
  const s = text(value).normalize('NFKC');
  if (s === '') return [];
  const parts = s.split(/[,、・\s]+/).filter((p) => p !== '');
  const goals = parts.map((p) => (/^\d{1,2}$/.test(p) ? Number(p) : Number.NaN));
  if (goals.some((g) => !Number.isInteger(g) || g < 1 || g > 17)) {
    bad(field, s, `関連するSDGs「${s}」は1から17のゴール番号を「11, 3」のように区切って入力してください`);
    return [];
  }
  return goals;
}

function ratingOf(node: unknown): Rating | undefined {
  const n = record(node);
  const code = text(n['code']);
  const scale = text(n['scale']);
  return code === '' || scale === '' ? undefined : { scale, code };
}

/** An item's reviews as the review form sends them; a review with nothing in it is absent. */
function reviewsOf(item: Record<string, unknown>): { reviews?: Reviews } {
  const r = record(item['reviews']);
  const m = record(r['midYear']);
  const e = record(r['yearEnd']);
  const implementation = ratingOf(m['implementation']);
  const midAchievement = ratingOf(m['achievement']);
  const midYear: MidYearReview = {
    ...(implementation ? { implementation } : {}),
    ...(midAchievement ? { achievement: midAchievement } : {}),
    ...optional(m, ['comment', 'problemsAndMeasures']),
  };
  const endAchievement = ratingOf(e['achievement']);
  const yearEnd: YearEndReview = { ...(endAchievement ? { achievement: endAchievement } : {}), ...optional(e, ['result', 'problemsAndMeasures']) };
  const reviews: Reviews = {
    ...(Object.keys(midYear).length > 0 ? { midYear } : {}),
    ...(Object.keys(yearEnd).length > 0 ? { yearEnd } : {}),
  };
  return Object.keys(reviews).length > 0 ? { reviews } : {};
}
