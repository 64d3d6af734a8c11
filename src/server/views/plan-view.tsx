/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { formatThousandYen, issueBudgetTotal, planBudgetTotal } from '../../domain/budget.ts';
import { formatFiscalYearBoth, formatShortFiscalYear } from '../../domain/fiscal-year.ts';
import type { RolledUp, PlanRollUp } from '../../domain/pdca/status.ts';
import { OSAKA_RATING_SCALES } from '../../domain/pdca/rating-scales.ts';
import type { Indicator, ManagementIssue, Measurement, Plan, RatingScales, Reviews } from '../../domain/plan.ts';
import type { Child } from 'hono/jsx';
import { IndicatorFigure, ReviewsView, RollUpSummary } from './indicator-view.tsx';

/**
 * The Check shown with a plan (the public page): indicator status and roll-up computed once
 * for the request, measurements by indicator id. The reviews are the plan's own (the
 * published revision's, on the public page).
 */
export interface PlanCheck {
  status: PlanRollUp;
  measurements: ReadonlyMap<string, readonly Measurement[]>;
}

interface CheckItem {
  id: string | undefined;
  /** 「戦略1-1 題名」 */
  heading: string;
  /** 「1-1」: indicators are labelled 「1-1 指標1」. */
  label: string;
  indicators: readonly Indicator[];
  reviews: Reviews | undefined;
}

/** Indicators (status, chart, table) and published reviews of the items given, each under its name. */
function CheckItems({ items, check, scales, idPrefix }: { items: readonly CheckItem[]; check: PlanCheck; scales: RatingScales; idPrefix: string }) {
  const shown = items.filter((i) => i.indicators.length > 0 || i.reviews?.midYear || i.reviews?.yearEnd);
  return (
    <>
      {shown.map((item, n) => {
        const rolled: RolledUp | undefined = item.id !== undefined ? check.status.byItemId.get(item.id) : undefined;
        return (
          <div class="item-check">
            <p class="item-check-title"><strong>{item.heading}</strong></p>
            {rolled ? <RollUpSummary rolled={rolled} label={item.heading.split(' ')[0]!} /> : null}
            {item.indicators.map((indicator, k) => {
              const entry = rolled?.indicators.find((e) => e.indicator === indicator);
              if (!entry) return null;
              const measurements = (indicator.id !== undefined ? check.measurements.get(indicator.id) : undefined) ?? indicator.measurements ?? [];
              return <IndicatorFigure indicator={indicator} label={`${item.label} 指標${k + 1}`} result={entry.result} measurements={measurements} id={`${idPrefix}chk-${n}-${k + 1}`} />;
            })}
            <ReviewsView reviews={item.reviews} scales={scales} />
          </div>
        );
      })}
    </>
  );
}

function scalesOf(plan: Plan): RatingScales {
  return { ...OSAKA_RATING_SCALES, ...(plan.ratingScales ?? {}) };
}

/** "平成29年度(2017年度) 西区運営方針(案)" */
export function planTitle(plan: Plan): string {
  return `${planTitleWithoutStatus(plan)}${plan.documentStatus === 'draft' ? '(案)' : ''}`;
}

function planTitleWithoutStatus(plan: Plan): string {
  return `${formatFiscalYearBoth(plan.fiscalYear)} ${plan.organization}運営方針`;
}

/**
 * A wide table that may not fit a phone: it scrolls inside this box, not the page. The box is
 * focusable so keyboard users can scroll it, and named by the table's caption.
 */
export function ScrollBox({ captionId, children }: { captionId: string; children?: Child }) {
  return <div class="scroll" role="group" aria-labelledby={captionId} tabindex={0}>{children}</div>;
}

/** Text kept as written; paragraphs split where the plan has line breaks. */
export function Paragraphs({ text, emptyLabel = '(記載なし)' }: { text: string; emptyLabel?: string }) {
  const paragraphs = text.split('\n').filter((p) => p.trim() !== '');
  if (paragraphs.length === 0) return <p class="empty">{emptyLabel}</p>;
  return <>{paragraphs.map((p) => <p>{p}</p>)}</>;
}

function IssueSection({ plan, issue, level, id, check, anchorPrefix }: { plan: Plan; issue: ManagementIssue; level: number; id: string; check?: PlanCheck | undefined; anchorPrefix: string }) {
  // Items are linked to by their stable ids (「前年度の取組」 links land on last year's item).
  const anchor = (itemId: string | undefined) => (itemId === undefined ? undefined : `${anchorPrefix}item-${itemId}`);
  const short = formatShortFiscalYear(plan.fiscalYear);
  const H = `h${level}` as 'h4';
  const initiatives = issue.strategies.flatMap((s) => s.initiatives);
  const hasCm = initiatives.some((i) => i.cmBudgetThousandYen !== null);
  return (
    // Unnamed on purpose: a named section is a landmark, and a page showing two versions would repeat them.
    <section id={anchor(issue.id)}>
      <H id={id}>{`経営課題${issue.number} ${issue.title}`}</H>
      <p><strong>経営課題の概要:</strong> {issue.summary || '(記載なし)'}</p>
      <table>
        <caption>{`経営課題${issue.number}の主な戦略`}</caption>
        <thead><tr><th scope="col">番号</th><th scope="col">主な戦略</th><th scope="col">内容</th></tr></thead>
        <tbody>
          {issue.strategies.map((s) => (
            <tr id={anchor(s.id)}><th scope="row" class="no">{s.number}</th><td class="item-title">{s.title}</td><td>{s.description}</td></tr>
          ))}
        </tbody>
      </table>
      <ScrollBox captionId={`${id}-initiatives`}>
        <table>
          <caption id={`${id}-initiatives`}>{`経営課題${issue.number}の主な具体的取組(${short}予算額)`}</caption>
          <thead>
            <tr>
              <th scope="col">番号</th><th scope="col">具体的取組</th><th scope="col" class="num">{short}<wbr />予算額</th>
              {hasCm ? <th scope="col" class="num">{short}<wbr />区CM予算額</th> : null}
              <th scope="col">内容</th>
            </tr>
          </thead>
          <tbody>
            {initiatives.map((i) => (
              <tr id={anchor(i.id)}>
                <th scope="row" class="no">{i.number}</th><td class="item-title">{i.title}</td><td class="num">{formatThousandYen(i.budgetThousandYen)}</td>
                {hasCm ? <td class="num">{formatThousandYen(i.cmBudgetThousandYen)}</td> : null}
                <td class="desc">{i.description}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colspan={2}>{`経営課題${issue.number}の予算額合計`}</th>
              <td class="num">{formatThousandYen(issueBudgetTotal(issue))}</td>
              {hasCm ? <td></td> : null}
              <td></td>
            </tr>
          </tfoot>
        </table>
      </ScrollBox>
      {check ? (
        <CheckItems check={check} scales={scalesOf(plan)} idPrefix={`${id}-`} items={[
          { id: issue.id, heading: `経営課題${issue.number} ${issue.title}`, label: String(issue.number), indicators: issue.outcomeIndicators ?? [], reviews: undefined },
          ...issue.strategies.flatMap((s) => [
            { id: s.id, heading: `戦略${s.number} ${s.title}`, label: s.number, indicators: s.outcomeIndicators ?? [], reviews: s.reviews },
            ...s.initiatives.map((i) => ({ id: i.id, heading: `具体的取組${i.number} ${i.title}`, label: i.number, indicators: i.processIndicators ?? [], reviews: i.reviews })),
          ]),
        ]} />
      ) : null}
    </section>
  );
}

/**
 * The plan as residents read it, section by section in the order of the official
 * document. `headingLevel` is the level of the plan's own title; `idPrefix` keeps ids
 * unique when a page shows two plans.
 */
export function PlanView({ plan, headingLevel = 1, idPrefix = '', check }: { plan: Plan; headingLevel?: number; idPrefix?: string; check?: PlanCheck | undefined }) {
  const h = (offset: number) => `h${Math.min(headingLevel + offset, 6)}` as 'h2';
  const [H1, H2, H3] = [h(0), h(1), h(2)];
  return (
    <article class="plan">
      {/* 案 once: the title's own (案), marked in colour, not a second 案 badge beside it. */}
      <H1>
        {planTitleWithoutStatus(plan)}
        {plan.documentStatus === 'draft' ? <span class="draft-mark">(案)</span> : null}
      </H1>
      {plan.documentStatus === 'draft' ? <p class="notice">この運営方針は案です。内容は確定までに変わることがあります。</p> : null}
      {plan.head ? <p>{`(区長:${plan.head})`}</p> : null}

      <H2>◆計画</H2>
      <H3>区の目標(何をめざすのか)</H3>
      <Paragraphs text={plan.goal} />
      <H3>区の使命(どのような役割を担うのか)</H3>
      {plan.mission.length > 0 ? <ul>{plan.mission.map((m) => <li>{m}</li>)}</ul> : <p class="empty">(記載なし)</p>}
      <H3>区運営の基本的な考え方(区長の方針)</H3>
      <Paragraphs text={plan.policy} />

      <H3>重点的に取り組む主な経営課題(様式2)</H3>
      {plan.issues.length === 0 ? <p class="empty">(経営課題はありません)</p> : null}
      {plan.issues.map((issue, i) => <IssueSection plan={plan} issue={issue} level={headingLevel + 3} id={`${idPrefix}issue-${i + 1}`} check={check} anchorPrefix={idPrefix} />)}
      <table>
        <caption>予算額の合計</caption>
        <thead><tr><th scope="col">区分</th><th scope="col" class="num">{`${formatShortFiscalYear(plan.fiscalYear)}予算額`}</th></tr></thead>
        <tbody>
          {plan.issues.map((issue) => (
            <tr><th scope="row">{`経営課題${issue.number} ${issue.title}`}</th><td class="num">{formatThousandYen(issueBudgetTotal(issue))}</td></tr>
          ))}
        </tbody>
        <tfoot><tr><th scope="row">運営方針全体</th><td class="num">{formatThousandYen(planBudgetTotal(plan))}</td></tr></tfoot>
      </table>

      {plan.reform ? (
        <>
          <H3>{`「${plan.reform.planName}」に基づく取組等(様式3)`}</H3>
          <table>
            <caption>{`「${plan.reform.planName}」に基づく主な取組`}</caption>
            <thead><tr><th scope="col">主な取組項目</th><th scope="col">取組内容</th></tr></thead>
            <tbody>{plan.reform.items.map((item) => <tr><th scope="row">{item.title}</th><td>{item.content}</td></tr>)}</tbody>
          </table>
          {check ? (
            <CheckItems check={check} scales={scalesOf(plan)} idPrefix={`${idPrefix}reform-`} items={plan.reform.items.map((item) => ({
              id: item.id, heading: `取組項目 ${item.title}`, label: item.title, indicators: item.indicators ?? [], reviews: item.reviews,
            }))} />
          ) : null}
        </>
      ) : null}

      <H2>◆自己評価</H2>
      <H3>1年間の取組成果と今後取り組みたいこと</H3>
      <Paragraphs text={plan.selfEvaluation.achievements} emptyLabel="(まだ記載されていません)" />
      <H3>解決すべき課題と今後の改善方向</H3>
      <Paragraphs text={plan.selfEvaluation.challenges} emptyLabel="(まだ記載されていません)" />
    </article>
  );
}
