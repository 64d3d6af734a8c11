/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Diagnostic } from '../../domain/diagnostic.ts';
import type { ItemKind } from '../../domain/item-ids.ts';
import type { Indicator, Plan, Rating, RatingScales, Reviews } from '../../domain/plan.ts';
import type { Measurement } from '../../domain/plan.ts';
import { formatNumber } from '../editor/plan-form.ts';
import type { ReviewPeriod } from '../editor/carry.ts';
import { RATING_SLOTS, scaleFor, type RatingSlot } from '../editor/review-scales.ts';
import { Problems, SaveBar } from './editor-form.tsx';
import { Field, FieldProblems, fieldId, type FieldState } from './form-fields.tsx';

export const PERIOD_LABELS: Readonly<Record<ReviewPeriod, string>> = { midYear: '中間振り返り', yearEnd: '年度末の自己評価' };

const SLOT_LABELS: Readonly<Record<`${ReviewPeriod}.${RatingSlot}`, string>> = {
  'midYear.implementation': '取組内容の実施見込み',
  'midYear.achievement': '目標の達成見込み',
  'yearEnd.implementation': '取組内容の実施状況',
  'yearEnd.achievement': '目標の達成状況',
};

export interface ReviewFormProps {
  action: string;
  plan: Plan;
  period: ReviewPeriod;
  baseRevision: number;
  csrfToken: string;
  diagnostics: readonly Diagnostic[];
  state: FieldState;
  scales: RatingScales;
  message?: string;
  notice?: string;
  /** The latest measurement of each indicator (by its id), shown beside the item. */
  latest?: ReadonlyMap<string, Measurement>;
}

function RatingGroup({ at, label, rating, scale, scales, state }: { at: string; label: string; rating: Rating | null | undefined; scale: string; scales: RatingScales; state: FieldState }) {
  // A posted scale name is user input: "valueOf" or "toJSON" must not find Object.prototype.
  const options = Object.hasOwn(scales, scale) ? scales[scale]! : [];
  const paths = [at, `${at}.code`, `${at}.scale`];
  const invalid = paths.some((p) => state.problems.has(p));
  const chosen = state.raw.get(`${at}.code`) ?? (rating?.scale === scale ? rating.code : '');
  const id = fieldId(at);
  return (
    <fieldset class="rating" id={id} aria-describedby={invalid ? paths.filter((p) => state.problems.has(p)).map((p) => `${fieldId(p)}-problems`).join(' ') : undefined}>
      <legend>{label}</legend>
      <input type="hidden" name={`${at}.scale`} value={scale} />
      {options.map((o, n) => (
        <div>
          <input type="radio" id={`${id}-${n}`} name={`${at}.code`} value={o.code} checked={chosen === o.code} autofocus={n === 0 && state.focus === at} />
          <label for={`${id}-${n}`}>{`${o.code} ${o.label}`}</label>
        </div>
      ))}
      <div>
        <input type="radio" id={`${id}-none`} name={`${at}.code`} value="" checked={!options.some((o) => o.code === chosen)} />
        <label for={`${id}-none`}>未評価</label>
      </div>
      {paths.map((p) => <FieldProblems path={p} state={state} />)}
    </fieldset>
  );
}

function IndicatorFigures({ indicators, latest }: { indicators: readonly Indicator[]; latest: ReadonlyMap<string, Measurement> | undefined }) {
  if (indicators.length === 0) return null;
  const figure = (value: number, unit: string) => `${formatNumber(value)}${unit}`;
  return (
    <ul class="figures">
      {indicators.map((ind) => {
        const last = ind.id === undefined ? undefined : latest?.get(ind.id);
        const parts = [
          ind.baseline ? `基準値 ${figure(ind.baseline.value, ind.unit)}` : '',
          ind.target ? `目標値 ${figure(ind.target.value, ind.unit)}${ind.target.fiscalYear ? `(${ind.target.fiscalYear}年度)` : ''}` : '',
          last ? `最新の測定値 ${figure(last.value, ind.unit)}(${last.date})` : '測定値なし',
        ].filter(Boolean);
        return <li>{`指標: ${ind.statement} — ${parts.join(' / ')}`}</li>;
      })}
    </ul>
  );
}

function ItemReview(props: {
  at: string; kind: ItemKind; legend: string; id: string | undefined; reviews: Reviews | undefined; indicators: readonly Indicator[] | undefined;
  plan: Plan; period: ReviewPeriod; scales: RatingScales; state: FieldState; latest: ReadonlyMap<string, Measurement> | undefined;
}) {
  const { at, kind, legend, id, reviews, plan, period, scales, state } = props;
  const review = reviews?.[period] as Record<string, unknown> | null | undefined;
  const r = `${at}.reviews.${period}`;
  const text = (k: string) => (typeof review?.[k] === 'string' ? (review[k] as string) : '');
  return (
    <fieldset class="review-item">
      <legend>{legend}</legend>
      {id ? <input type="hidden" name={`${at}.id`} value={id} /> : null}
      {/* Problems with the review as a whole (past its deadline) */}
      {state.problems.has(r) ? <div id={fieldId(r)}><FieldProblems path={r} state={state} /></div> : null}
      <IndicatorFigures indicators={props.indicators ?? []} latest={props.latest} />
      {RATING_SLOTS[period].map((slot) => {
        const rating = review?.[slot] as Rating | null | undefined;
        return <RatingGroup at={`${r}.${slot}`} label={SLOT_LABELS[`${period}.${slot}`]} rating={rating}
          scale={scaleFor(plan, scales, kind, period, slot, rating)} scales={scales} state={state} />;
      })}
      {period === 'midYear'
        ? <Field path={`${r}.comment`} label="取組の進捗状況" value={text('comment')} state={state} multiline />
        : <Field path={`${r}.result`} label="取組実績" value={text('result')} state={state} multiline />}
      <Field path={`${r}.problemsAndMeasures`} label="課題と改善策(最もよい評価でないときは必ず記入)" value={text('problemsAndMeasures')} state={state} multiline />
    </fieldset>
  );
}

/** One period's reviews of every strategy, initiative and reform item, as one form. */
export function ReviewForm(props: ReviewFormProps) {
  const { action, plan, period, baseRevision, csrfToken, diagnostics, state, scales, message = '', notice, latest } = props;
  const common = { plan, period, scales, state, latest };
  return (
    <form method="post" action={action} class="stack review" novalidate>
      <SaveBar message={message} {...(notice ? { notice } : {})} />
      <input type="hidden" name="_csrf" value={csrfToken} />
      <input type="hidden" name="_baseRevision" value={String(baseRevision)} />
      <Problems diagnostics={diagnostics} />
      {plan.issues.map((issue) => (
        <section aria-labelledby={`review-issue-${issue.number}`}>
          <h2 id={`review-issue-${issue.number}`}>{`経営課題${issue.number} ${issue.title}`}</h2>
          {issue.strategies.map((s, j) => {
            const sat = `issues[${plan.issues.indexOf(issue)}].strategies[${j}]`;
            return (
              <>
                <ItemReview at={sat} kind="strategy" legend={`戦略 ${s.number} ${s.title}`} id={s.id} reviews={s.reviews} indicators={s.outcomeIndicators} {...common} />
                {s.initiatives.map((it, k) => (
                  <ItemReview at={`${sat}.initiatives[${k}]`} kind="initiative" legend={`具体的取組 ${it.number} ${it.title}`} id={it.id}
                    reviews={it.reviews} indicators={it.processIndicators} {...common} />
                ))}
              </>
            );
          })}
        </section>
      ))}
      {plan.reform && plan.reform.items.length > 0 ? (
        <section aria-labelledby="review-reform">
          {/* The form grammar reads 様式3's items only when it is present. */}
          <input type="hidden" name="reform.present" value="1" />
          <h2 id="review-reform">{`市政改革プランに基づく取組等(${plan.reform.planName})`}</h2>
          {plan.reform.items.map((item, i) => (
            <ItemReview at={`reform.items[${i}]`} kind="reformItem" legend={`取組項目 ${i + 1} ${item.title}`} id={item.id} reviews={item.reviews} indicators={item.indicators} {...common} />
          ))}
        </section>
      ) : null}
      <SaveBar {...(notice ? { notice } : {})} />
    </form>
  );
}
