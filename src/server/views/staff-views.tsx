/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { formatFiscalYearBoth } from '../../domain/fiscal-year.ts';
import { WORKFLOW_STATE_LABELS } from '../../domain/workflow.ts';
import type { Organization, PlanSummary } from '../../store/store.ts';
import { ScrollBox } from './plan-view.tsx';

export function formatDateTime(date: Date): string {
  return date.toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * Organization id → 「大阪市 西区」: a ward is named with its city, since several cities have a
 * 西区; a city or a standalone organization by its own name.
 */
export function organizationLabels(organizations: readonly Organization[]): (organizationId: number) => string | undefined {
  const byId = new Map(organizations.map((o) => [o.id, o]));
  return (id) => {
    const organization = byId.get(id);
    if (!organization) return undefined;
    const parent = organization.parentId === null ? undefined : byId.get(organization.parentId);
    return parent?.kind === 'city' ? `${parent.name} ${organization.name}` : organization.name;
  };
}

export function PlanTable({ plans, caption, labelOf = () => undefined }: {
  plans: readonly PlanSummary[];
  caption: string;
  /** The organization's full name (see organizationLabels); the plan's own organization name without it. */
  labelOf?: (organizationId: number) => string | undefined;
}) {
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
              <th scope="row"><a href={`/staff/plans/${p.id}`}>{`${labelOf(p.organizationId) ?? p.organizationName} ${formatFiscalYearBoth(p.fiscalYear)}`}</a></th>
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
