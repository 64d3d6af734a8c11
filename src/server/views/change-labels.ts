/**
 * A diff's values in the page's own words: an added or removed 経営課題, 戦略, 具体的取組 or
 * 取組項目 as its heading and labelled fields (経営課題1「題名」, 予算額 22,268千円), never
 * as JSON with the model's English keys. Pure functions; diff-view.tsx renders them.
 */
import { formatThousandYen } from '../../domain/budget.ts';
import { formatFiscalYearBoth } from '../../domain/fiscal-year.ts';
import { FIELD_LABELS, type PlanChange } from '../../domain/plan-diff.ts';

/** Bookkeeping fields (stable item ids and where an item was carried from): never shown to users. */
const HIDDEN_KEYS: ReadonlySet<string> = new Set(['id', 'carriedFrom']);

/** Whether a change is only to bookkeeping (an item's id), which users neither see nor edit. */
export function isHiddenChange(change: PlanChange): boolean {
  const last = /([^.[\]]+)(?:\[\d+\])*$/.exec(change.path)?.[1];
  return last !== undefined && HIDDEN_KEYS.has(last);
}

export interface ItemField {
  label: string;
  value: string;
}

/** An item as the page shows it: a heading, its fields, and the items inside it. */
export interface ItemDescription {
  heading: string;
  fields: ItemField[];
  children: ItemDescription[];
}

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(なし)';
  if (typeof value === 'number') return value.toLocaleString('ja-JP');
  return String(value);
}

function money(value: unknown): string {
  return typeof value === 'number' || value === null ? formatThousandYen(value) : text(value);
}

function titled(kind: string, number: unknown, title: unknown): string {
  const n = number === undefined || number === null ? '' : String(number);
  return `${kind}${n}「${typeof title === 'string' && title !== '' ? title : '(題名なし)'}」`;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function initiative(x: Fields): ItemDescription {
  const fields: ItemField[] = [{ label: '予算額', value: money(x['budgetThousandYen']) }];
  if (x['cmBudgetThousandYen'] !== null && x['cmBudgetThousandYen'] !== undefined) fields.push({ label: '区CM予算額', value: money(x['cmBudgetThousandYen']) });
  fields.push({ label: '内容', value: text(x['description']) });
  return { heading: titled('具体的取組', x['number'], x['title']), fields, children: [] };
}

function strategy(x: Fields): ItemDescription {
  return {
    heading: titled('戦略', x['number'], x['title']),
    fields: [{ label: '内容', value: text(x['description']) }],
    children: list(x['initiatives']).filter(isRecord).map(initiative),
  };
}

function issue(x: Fields): ItemDescription {
  return {
    heading: titled('経営課題', x['number'], x['title']),
    fields: [{ label: '概要', value: text(x['summary']) }],
    children: list(x['strategies']).filter(isRecord).map(strategy),
  };
}

function reformItem(x: Fields, position?: number): ItemDescription {
  return {
    heading: titled('取組項目', position, x['title']),
    fields: [{ label: '取組内容', value: text(x['content']) }],
    children: [],
  };
}

function reform(x: Fields): ItemDescription {
  return {
    heading: `「${text(x['planName'])}」に基づく取組等(様式3)`,
    fields: [],
    children: list(x['items']).filter(isRecord).map((item, i) => reformItem(item, i + 1)),
  };
}

const DIRECTION_LABELS: Readonly<Record<string, string>> = { higher: '高いほどよい', lower: '低いほどよい' };

/**
 * Any other object (自己評価, 振り返り, 指標 …): its labelled fields, nested ones flattened
 * under their parents' labels (中間振り返り › 達成状況: ②); a rating reads as its code, an
 * indicator as its statement. Keys without a Japanese label are left out.
 */
function generic(x: Fields, heading: string): ItemDescription {
  const fields: ItemField[] = [];
  const walk = (node: Fields, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      const label = FIELD_LABELS[key];
      if (label === undefined || HIDDEN_KEYS.has(key) || value === undefined) continue;
      const at = prefix === '' ? label : `${prefix} › ${label}`;
      if (isRecord(value) && typeof value['code'] === 'string' && typeof value['scale'] === 'string') fields.push({ label: at, value: value['code'] });
      else if (isRecord(value)) walk(value, at);
      else if (Array.isArray(value)) fields.push({ label: at, value: value.map((v) => (isRecord(v) ? text(v['statement'] ?? v['date'] ?? '…') : text(v))).join('\n') });
      else if (key === 'direction') fields.push({ label: at, value: DIRECTION_LABELS[String(value)] ?? text(value) });
      else if (key === 'fiscalYear' && typeof value === 'number') fields.push({ label: at, value: formatFiscalYearBoth(value) });
      else fields.push({ label: at, value: text(value) });
    }
  };
  walk(x, '');
  return { heading, fields, children: [] };
}

/** The value of an object-valued change, described by what its path says it is. */
export function describeItem(path: string, value: Fields): ItemDescription {
  if (/initiatives\[\d+\]$/.test(path)) return initiative(value);
  if (/strategies\[\d+\]$/.test(path)) return strategy(value);
  if (/issues\[\d+\]$/.test(path)) return issue(value);
  const item = /reform\.items\[(\d+)\]$/.exec(path);
  if (item) return reformItem(value, Number(item[1]) + 1);
  if (/^reform$/.test(path)) return reform(value);
  const key = /([^.[\]]+)(?:\[\d+\])*$/.exec(path)?.[1] ?? '';
  return generic(value, FIELD_LABELS[key] ?? '');
}

/** A scalar value of a change in words: 案/確定, 和暦 and 西暦, numbers with separators. */
export function formatChangeValue(path: string, value: unknown): string {
  if (value === null) return '(なし)';
  if (path === 'documentStatus') return value === 'draft' ? '案' : value === 'final' ? '確定' : text(value);
  if (path === 'fiscalYear' && typeof value === 'number') return formatFiscalYearBoth(value);
  if (Array.isArray(value)) return value.map(text).join('\n');
  return text(value);
}
