/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// Labels come from the domain so the diff page and the audit log name an item alike.
import { describeChangePath, type PlanChange } from '../../domain/plan-diff.ts';
import type { Plan } from '../../domain/plan.ts';
import { describeItem, formatChangeValue, isHiddenChange, type ItemDescription } from './change-labels.ts';

const KIND_LABELS: Record<PlanChange['kind'], string> = { changed: '変更', added: '追加', removed: '削除' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An added or removed item as the page names it: 経営課題1「題名」 and its fields as a definition list. */
function Item({ item }: { item: ItemDescription }) {
  return (
    <div class="change-item">
      {item.heading ? <p class="change-heading">{item.heading}</p> : null}
      {item.fields.length > 0 ? <dl>{item.fields.map((f) => <><dt>{f.label}</dt><dd>{f.value}</dd></>)}</dl> : null}
      {item.children.length > 0 ? <ul>{item.children.map((c) => <li><Item item={c} /></li>)}</ul> : null}
    </div>
  );
}

function Value({ path, value }: { path: string; value: unknown }) {
  if (isRecord(value)) return <Item item={describeItem(path, value)} />;
  if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) {
    return <>{value.map((v, i) => <Item item={describeItem(`${path}[${i}]`, v)} />)}</>;
  }
  return <>{formatChangeValue(path, value)}</>;
}

/** Changes as a table: where, what kind, before and after. Bookkeeping (item ids) is left out. */
export function ChangeTable({ changes, plans, caption, beforeLabel = '変更前', afterLabel = '変更後' }: {
  changes: readonly PlanChange[];
  plans: Plan[];
  caption: string;
  beforeLabel?: string;
  afterLabel?: string;
}) {
  const shown = changes.filter((c) => !isHiddenChange(c));
  if (shown.length === 0) return <p class="empty">{`${caption}: 違いはありません。`}</p>;
  return (
    <table class="diff">
      <caption>{caption}</caption>
      <thead><tr><th scope="col">項目</th><th scope="col">種類</th><th scope="col">{beforeLabel}</th><th scope="col">{afterLabel}</th></tr></thead>
      <tbody>
        {shown.map((c) => (
          <tr>
            <th scope="row">{describeChangePath(c.path, ...plans)}</th>
            <td>{KIND_LABELS[c.kind]}</td>
            <td class="pre">{c.before === undefined ? '' : <del><Value path={c.path} value={c.before} /></del>}</td>
            <td class="pre">{c.after === undefined ? '' : <ins><Value path={c.path} value={c.after} /></ins>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
