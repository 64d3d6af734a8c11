/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { TRANSITIONS, WORKFLOW_STATE_LABELS, isWorkflowState } from '../../domain/workflow.ts';
import type { AuditEntry } from '../../store/store.ts';
import { describeChangePath } from '../../domain/plan-diff.ts';
import { formatDateTime } from './staff-views.tsx';

const ACTION_LABELS: Record<string, string> = {
  'plan.create': '作成', 'plan.save': '保存', 'plan.workflow': '状態の変更', 'plan.publish': '公開', 'plan.comment': 'コメント',
};

type Detail = Record<string, unknown>;

/** One audit entry in words: which revision, which step, which items changed. */
export function describeAudit(entry: AuditEntry): string {
  const d = (typeof entry.detail === 'object' && entry.detail !== null ? entry.detail : {}) as Detail;
  switch (entry.action) {
    case 'plan.create':
      return `版 ${String(d['revision'] ?? 1)} を作成${d['message'] ? `: ${String(d['message'])}` : ''}`;
    case 'plan.save': {
      const changes = Array.isArray(d['changes']) ? (d['changes'] as { path: string; label?: string }[]) : [];
      // The label recorded at save time names the plan's own numbers. Entries written before
      // labels were recorded have only paths, which count positions (2-4-2 would read as
      // 戦略2 › 具体的取組1), so those are named by the numbers their item column kept.
      const labelled = changes.every((c) => typeof c.label === 'string');
      const named = labelled ? changes.map((c) => c.label!) : legacyItems(entry.item);
      const items = named.slice(0, 10);
      const more = named.length > 10 ? ` ほか${named.length - 10}項目` : '';
      return `版 ${String(d['revision'])} を保存(${String(d['changeCount'] ?? changes.length)}項目の変更${items.length > 0 ? `: ${items.join('、')}${more}` : ''})`;
    }
    case 'plan.workflow': {
      const t = TRANSITIONS.find((x) => x.action === d['action']);
      const [from, to] = [d['from'], d['to']].map((s) => (isWorkflowState(s) ? WORKFLOW_STATE_LABELS[s] : String(s)));
      return `${t?.label ?? String(d['action'])}: ${from} → ${to}(版 ${String(d['revision'])})`;
    }
    case 'plan.publish':
      return `版 ${String(d['revision'])} を公開`;
    case 'plan.comment':
      return 'コメントを追加';
    default:
      return entry.detail === null || entry.detail === undefined ? '' : JSON.stringify(entry.detail);
  }
}

/** An item column written before labels ("goal,1,2-4-2") in words: 区の目標、経営課題1、具体的取組2-4-2. */
function legacyItems(item: string | null): string[] {
  if (!item) return [];
  const kinds = ['経営課題', '戦略', '具体的取組'];
  return item.split(',').filter((x) => x !== '').map((x) => (/^\d+(-\d+){0,2}$/.test(x) ? `${kinds[x.split('-').length - 1]!}${x}` : describeChangePath(x)));
}

/**
 * The log, newest first. `nameOf` turns the recorded login id into the name people know
 * (src/server/user-names.ts, looked up once per page); without it the login id shows.
 */
export function AuditTable({ entries, nameOf = (username) => username }: { entries: readonly AuditEntry[]; nameOf?: (username: string) => string }) {
  return (
    <table>
      <caption>操作の記録(新しい順)</caption>
      <thead><tr><th scope="col">日時</th><th scope="col">操作した人</th><th scope="col">操作</th><th scope="col">内容</th></tr></thead>
      <tbody>
        {entries.map((a) => (
          <tr><td>{formatDateTime(a.at)}</td><td>{nameOf(a.actor)}</td><td>{ACTION_LABELS[a.action] ?? a.action}</td><td class="wrap">{describeAudit(a)}</td></tr>
        ))}
      </tbody>
    </table>
  );
}
