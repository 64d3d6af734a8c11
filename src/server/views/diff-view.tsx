/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { PlanChange } from '../../domain/plan-diff.ts';
import type { Plan } from '../../domain/plan.ts';

const FIELD_LABELS: Record<string, string> = {
  organization: '組織名', fiscalYear: '年度', documentStatus: '文書の状態', head: '区長名', goal: '区の目標',
  mission: '区の使命', policy: '区運営の基本的な考え方', issues: '経営課題', reform: '様式3', selfEvaluation: '自己評価',
  title: '題名', summary: '概要', description: '内容', number: '番号', strategies: '戦略', initiatives: '具体的取組',
  budgetThousandYen: '予算額(千円)', cmBudgetThousandYen: '区CM予算額(千円)', planName: 'プランの名称',
  items: '取組項目', content: '取組内容', achievements: '1年間の取組成果', challenges: '解決すべき課題',
};

/**
 * "issues[1].strategies[0].initiatives[0].budgetThousandYen" → "経営課題2 › 戦略2-1 › 具体的取組2-1-2 › 予算額(千円)",
 * naming items by their numbers in the plan given (the newer one, when it has the item).
 */
export function describePath(path: string, ...plans: Plan[]): string {
  const parts: string[] = [];
  const nodes: unknown[] = [...plans];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) {
      const i = Number(m[2]);
      for (let n = 0; n < nodes.length; n++) nodes[n] = Array.isArray(nodes[n]) ? (nodes[n] as unknown[])[i] : undefined;
      const numbered = nodes.find((x): x is { number: unknown } => typeof x === 'object' && x !== null && 'number' in x);
      const last = parts.pop() ?? '';
      parts.push(numbered ? `${last}${String(numbered.number)}` : `${last}${i + 1}`);
    } else {
      const key = m[1]!;
      for (let n = 0; n < nodes.length; n++) {
        const x = nodes[n];
        nodes[n] = typeof x === 'object' && x !== null ? (x as Record<string, unknown>)[key] : undefined;
      }
      parts.push(FIELD_LABELS[key] ?? key);
    }
  }
  return parts.join(' › ');
}

function show(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return '(なし)';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return value.toLocaleString('ja-JP');
  return JSON.stringify(value, null, 1);
}

const KIND_LABELS: Record<PlanChange['kind'], string> = { changed: '変更', added: '追加', removed: '削除' };

/** Changes as a table: where, what kind, before and after. */
export function ChangeTable({ changes, plans, caption, beforeLabel = '変更前', afterLabel = '変更後' }: {
  changes: readonly PlanChange[];
  plans: Plan[];
  caption: string;
  beforeLabel?: string;
  afterLabel?: string;
}) {
  if (changes.length === 0) return <p class="empty">{`${caption}: 違いはありません。`}</p>;
  return (
    <table class="diff">
      <caption>{caption}</caption>
      <thead><tr><th scope="col">項目</th><th scope="col">種類</th><th scope="col">{beforeLabel}</th><th scope="col">{afterLabel}</th></tr></thead>
      <tbody>
        {changes.map((c) => (
          <tr>
            <th scope="row">{describePath(c.path, ...plans)}</th>
            <td>{KIND_LABELS[c.kind]}</td>
            <td class="pre">{c.before === undefined ? '' : <del>{show(c.before)}</del>}</td>
            <td class="pre">{c.after === undefined ? '' : <ins>{show(c.after)}</ins>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
