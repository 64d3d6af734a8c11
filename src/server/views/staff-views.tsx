/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { formatFiscalYearBoth } from '../../domain/fiscal-year.ts';
import { WORKFLOW_STATE_LABELS } from '../../domain/workflow.ts';
import type { PlanSummary } from '../../store/store.ts';
import { ScrollBox } from './plan-view.tsx';

export function formatDateTime(date: Date): string {
  return date.toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'medium', timeStyle: 'short' });
}

export function PlanTable({ plans, caption }: { plans: readonly PlanSummary[]; caption: string }) {
  if (plans.length === 0) return <p class="empty">運営方針はまだありません。</p>;
  return (
    <ScrollBox captionId="plan-list">
      <table>
        <caption id="plan-list">{caption}</caption>
        <thead>
          <tr><th scope="col">組織</th><th scope="col">年度</th><th scope="col">状態</th><th scope="col" class="num">最新の版</th><th scope="col" class="num">公開中の版</th><th scope="col">更新日時</th></tr>
        </thead>
        <tbody>
          {plans.map((p) => (
            <tr>
              <th scope="row"><a href={`/staff/plans/${p.id}`}>{`${p.organizationName} ${formatFiscalYearBoth(p.fiscalYear)}`}</a></th>
              <td>{p.fiscalYear}</td>
              <td>{WORKFLOW_STATE_LABELS[p.workflowState]}{p.documentStatus === 'draft' ? '(案)' : ''}</td>
              <td class="num">{p.currentRevision}</td>
              <td class="num">{p.publishedRevision ?? '-'}</td>
              <td>{formatDateTime(p.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}
