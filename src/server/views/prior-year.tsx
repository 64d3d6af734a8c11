/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { formatThousandYen } from '../../domain/budget.ts';
import { formatFiscalYearBoth } from '../../domain/fiscal-year.ts';
import { planItems, type ItemKind } from '../../domain/item-ids.ts';
import type { Initiative, Plan, Reviews } from '../../domain/plan.ts';

/**
 * The Act of PDCA while editing: for an item continued from last year (`carriedFrom`), what
 * last year's plan said about it — its 課題と改善策 and its budgets — clearly marked as last
 * year's, never as this year's figures.
 */

export interface PriorYear {
  planId: number;
  fiscalYear: number;
  /** Last year's items by id. */
  items: ReadonlyMap<string, { kind: ItemKind; item: object; label: string }>;
}

export function priorYearOf(planId: number, plan: Plan): PriorYear {
  const items = new Map<string, { kind: ItemKind; item: object; label: string }>();
  for (const { kind, item, label } of planItems(plan)) if (item.id !== undefined) items.set(item.id, { kind, item, label });
  return { planId, fiscalYear: plan.fiscalYear, items };
}

/** Where an item of a plan is on its staff page. */
export function itemAnchor(id: string): string {
  return `item-${id}`;
}

export function priorItemPath(prior: PriorYear, id: string): string {
  return `/staff/plans/${prior.planId}#${itemAnchor(id)}`;
}

const KIND_LINK: Readonly<Record<ItemKind, string>> = { issue: '前年度の経営課題', strategy: '前年度の戦略', initiative: '前年度の取組', reformItem: '前年度の取組項目' };

/** Beside an item: last year's 課題と改善策 and budgets, and a link to last year's item. */
export function PriorYearNote({ prior, carriedFrom }: { prior: PriorYear | undefined; carriedFrom: string | undefined }) {
  if (!prior || carriedFrom === undefined) return null;
  const found = prior.items.get(carriedFrom);
  const year = formatFiscalYearBoth(prior.fiscalYear);
  if (!found) return <p class="prior-year empty">{`前年度(${year})の計画に、引き継ぎ元の項目が見つかりません。`}</p>;
  const reviews = (found.item as { reviews?: Reviews }).reviews;
  const measures = [
    ['中間振り返り', reviews?.midYear?.problemsAndMeasures],
    ['年度末の自己評価', reviews?.yearEnd?.problemsAndMeasures],
  ].filter((x): x is [string, string] => typeof x[1] === 'string' && x[1] !== '');
  const initiative = found.kind === 'initiative' ? (found.item as Initiative) : undefined;
  const name = found.kind === 'reformItem' ? found.label : `${found.label} ${(found.item as { title?: string }).title ?? ''}`;
  return (
    <aside class="prior-year" aria-label={`前年度(${year})の${name}`}>
      <p class="prior-heading">
        {`前年度(${year})の項目: ${name} `}
        <a href={priorItemPath(prior, carriedFrom)}>{KIND_LINK[found.kind]}</a>
      </p>
      {initiative ? (
        <p>
          {`前年度予算額 ${formatThousandYen(initiative.budgetThousandYen)}`}
          {initiative.cmBudgetThousandYen !== null ? ` / 前年度区CM予算額 ${formatThousandYen(initiative.cmBudgetThousandYen)}` : ''}
        </p>
      ) : null}
      {found.kind === 'issue' ? null : measures.length === 0 ? (
        <p class="empty">前年度の課題と改善策: 記入なし</p>
      ) : (
        <dl>
          {measures.map(([when, text]) => (
            <>
              <dt>{`前年度の課題と改善策(${when})`}</dt>
              <dd class="pre">{text}</dd>
            </>
          ))}
        </dl>
      )}
    </aside>
  );
}

/**
 * 「次年度の計画を作成」: posts to the create route with last year's plan as the source (every
 * item linked by carriedFrom); once next year's plan exists, a link to it instead.
 */
export function NextYearAction({ organizationId, fiscalYear, csrfToken, nextPlanId }: { organizationId: number; fiscalYear: number; csrfToken: string; nextPlanId: number | undefined }) {
  if (nextPlanId !== undefined) return <p><a href={`/staff/plans/${nextPlanId}`}>{`次年度(${formatFiscalYearBoth(fiscalYear + 1)})の計画`}</a></p>;
  return (
    <form method="post" action="/staff/plans" class="tools">
      <input type="hidden" name="_csrf" value={csrfToken} />
      <input type="hidden" name="source" value="previous" />
      <input type="hidden" name="organizationId" value={String(organizationId)} />
      <input type="hidden" name="fiscalYear" value={String(fiscalYear + 1)} />
      <button type="submit">次年度の計画を作成</button>
    </form>
  );
}
