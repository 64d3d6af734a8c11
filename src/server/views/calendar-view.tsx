/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { formatFiscalYearBoth } from '../../domain/fiscal-year.ts';
import { CHECK_KIND_LABELS, DUE_STATE_LABELS, type DueItem } from '../../domain/pdca/due.ts';
import { formatSlashDate } from '../../domain/pdca/fiscal-time.ts';
import { ScrollBox } from './plan-view.tsx';

/** 「指標の測定(2017/4/1〜2017/6/30)」 */
export function checkLabel(d: DueItem): string {
  return d.kind === 'measurement' && d.periodStart ? `${CHECK_KIND_LABELS[d.kind]}(${formatSlashDate(d.periodStart)}〜${formatSlashDate(d.due)})` : CHECK_KIND_LABELS[d.kind];
}

function missingText(d: DueItem): string {
  if (d.missing.length === 0) return '';
  const shown = d.missing.slice(0, 8).join('、');
  return d.missing.length > 8 ? `${shown} ほか${d.missing.length - 8}件` : shown;
}

/** Checks due or overdue as a table: organization, plan, check, deadline, state, person in charge, what is missing. */
export function DueTable({ items, caption, id, nameOf, showOrganization = true }: {
  items: readonly DueItem[];
  caption: string;
  id: string;
  nameOf: (userId: number | null) => string;
  showOrganization?: boolean;
}) {
  return (
    <ScrollBox captionId={id}>
      <table>
        <caption id={id}>{caption}</caption>
        <thead>
          <tr>
            {showOrganization ? <th scope="col">組織</th> : null}
            <th scope="col">運営方針</th><th scope="col">点検</th><th scope="col">締切</th><th scope="col">状態</th><th scope="col">担当者</th><th scope="col">未記入</th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr>
              {showOrganization ? <td>{d.organization}</td> : null}
              <td><a href={`/staff/plans/${d.planId}${d.kind === 'measurement' ? '/indicators' : ''}`}>{formatFiscalYearBoth(d.fiscalYear)}</a></td>
              <th scope="row">{checkLabel(d)}</th>
              <td class="no">{formatSlashDate(d.due)}</td>
              <td><span class={d.state === 'overdue' ? 'status problem' : 'status'}>{DUE_STATE_LABELS[d.state]}</span></td>
              <td>{nameOf(d.responsibleUserId)}</td>
              <td>{missingText(d)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}
