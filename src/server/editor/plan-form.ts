import { error, type Diagnostic } from '../../domain/diagnostic.ts';
import { isItemId } from '../../domain/item-ids.ts';
import { localNumber } from '../../domain/numbering.ts';
import { DOCUMENT_STATUSES, type DocumentStatus, type Initiative, type ItemIdentity, type Plan, type Strategy } from '../../domain/plan.ts';
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
        };
      });
      return { ...identity(s), number: sNumber, title: text(s['title']), description: text(s['description']), initiatives };
    });
    return { ...identity(issue), number: issueNumber, title: text(issue['title']), summary: text(issue['summary']), strategies };
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
        ? { planName: text(reformTree['planName']), items: list(reformTree['items']).map((it) => ({ ...identity(it), title: text(it['title']), content: text(it['content']) })) }
        : null,
    selfEvaluation: { achievements: text(evaluation['achievements']), challenges: text(evaluation['challenges']) },
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
    issue.strategies.forEach((s, j) => {
      const sat = `${at}.strategies[${j}]`;
      ids(sat, s);
      put(`${sat}.number`, localNumber(s.number));
      put(`${sat}.title`, s.title);
      put(`${sat}.description`, s.description);
      s.initiatives.forEach((it, k) => {
        const iat = `${sat}.initiatives[${k}]`;
        ids(iat, it);
        put(`${iat}.number`, localNumber(it.number));
        put(`${iat}.title`, it.title);
        put(`${iat}.budgetThousandYen`, it.budgetThousandYen === null ? '-' : String(it.budgetThousandYen));
        put(`${iat}.cmBudgetThousandYen`, it.cmBudgetThousandYen === null ? '' : String(it.cmBudgetThousandYen));
        put(`${iat}.description`, it.description);
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
    });
  }
  put('selfEvaluation.achievements', plan.selfEvaluation.achievements);
  put('selfEvaluation.challenges', plan.selfEvaluation.challenges);
  return out;
}
