/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Labels come from the domain so the diff page and the audit log name an item alike.
import { describeChangePath, type PlanChange } from '../../domain/plan-diff.ts';
import type { Plan } from '../../domain/plan.ts';

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
            <th scope="row">{describeChangePath(c.path, ...plans)}</th>
            <td>{KIND_LABELS[c.kind]}</td>
            <td class="pre">{c.before === undefined ? '' : <del>{show(c.before)}</del>}</td>
            <td class="pre">{c.after === undefined ? '' : <ins>{show(c.after)}</ins>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
