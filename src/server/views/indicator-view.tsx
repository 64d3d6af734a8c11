/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { formatPointWhen, formatSlashDate } from '../../domain/pdca/fiscal-time.ts';
import type { IndicatorStatusResult, RolledUp } from '../../domain/pdca/status.ts';
import { NOT_MEASURABLE_LABELS, STATUS_LABELS, type IndicatorStatus } from '../../domain/pdca/status-rules.ts';
import { ratingLabel } from '../../domain/pdca/review-rules.ts';
import type { Indicator, IndicatorPoint, Measurement, MidYearReview, RatingScales, Reviews, YearEndReview } from '../../domain/plan.ts';
import { formatValue, indicatorTable, renderIndicatorChart } from '../../formats/chart/indicator-chart.ts';
import { ScrollBox } from './plan-view.tsx';

/** 34.1% / 1,234人 */
export function withUnit(value: number, unit: string): string {
  return `${formatValue(value)}${unit}`;
}

function pointText(point: IndicatorPoint | null | undefined, unit: string, targetSuffix = ''): string {
  if (!point) return '(未設定)';
  const when = formatPointWhen(point);
  return `${withUnit(point.value, unit)}${when ? `(${when}${targetSuffix})` : ''}`;
}

/** 「順調(進捗率 45.0%/期待 50.0%)」: the status with the numbers it was judged on. */
export function statusText(result: IndicatorStatusResult): string {
  const label = STATUS_LABELS[result.status];
  if (result.status === 'notMeasurable') return result.reason ? `${label}(${NOT_MEASURABLE_LABELS[result.reason]})` : label;
  const pct = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
  const figures = [result.progress !== null ? `進捗率 ${pct(result.progress)}` : '', result.expected !== null && result.status !== 'achieved' ? `この時点の目安 ${pct(result.expected)}` : '']
    .filter((s) => s !== '');
  return figures.length > 0 ? `${label}(${figures.join('/')})` : label;
}

/** An item's roll-up: its status and how many indicators at or below it stand where. */
export function RollUpSummary({ rolled, label }: { rolled: RolledUp; label: string }) {
  const c = rolled.indicatorCounts;
  const total = c.achieved + c.onTrack + c.behind + c.notMeasurable;
  if (total === 0) return null;
  const order: IndicatorStatus[] = ['achieved', 'onTrack', 'behind', 'notMeasurable'];
  return (
    <p>
      <strong>{`${label}の状況: `}</strong>
      <span class="status">{STATUS_LABELS[rolled.status]}</span>
      {`(指標${total}件: ${order.map((s) => `${STATUS_LABELS[s]} ${c[s]}`).join('、')})`}
    </p>
  );
}

/**
 * One indicator: its figures, status, chart (SVG, server-rendered) and the same numbers as
 * a table. `id` must be unique on the page; `table` may replace the figures table (the
 * staff page's, with who recorded what).
 */
export function IndicatorFigure({ indicator, label, result, measurements, id, table }: {
  indicator: Indicator;
  /** 「1-1 指標1」 */
  label: string;
  result: IndicatorStatusResult;
  measurements: readonly Measurement[];
  id: string;
  table?: Child;
}) {
  const { unit } = indicator;
  const data = indicatorTable(indicator, measurements);
  const svg = renderIndicatorChart(indicator, measurements, { title: `${label} ${indicator.statement}の推移`, idPrefix: `${id}-svg` });
  return (
    <div class="indicator">
      <p class="indicator-title"><strong>{`${label} ${indicator.statement}`}</strong></p>
      <ul>
        <li>{`状況: ${statusText(result)}`}</li>
        <li>{`基準値: ${pointText(indicator.baseline, unit)}`}</li>
        <li>{`目標値: ${pointText(indicator.target, unit, indicator.target?.date ? 'まで' : '')}${indicator.direction === 'lower' ? '(低いほどよい)' : ''}`}</li>
        <li>{`最新の実績: ${result.latest ? `${withUnit(result.latest.value, unit)}(${formatSlashDate(result.latest.date)})` : 'まだありません'}`}</li>
        {indicator.source ? <li>{`出典: ${indicator.source}`}</li> : null}
      </ul>
      <figure>
        <figcaption id={`${id}-chart`}>{`${label}の推移(グラフ。数値は下の表にもあります)`}</figcaption>
        <ScrollBox captionId={`${id}-chart`}><div dangerouslySetInnerHTML={{ __html: svg }} /></ScrollBox>
      </figure>
      {table ?? (
        <ScrollBox captionId={`${id}-table`}>
          <table>
            <caption id={`${id}-table`}>{`${label}の数値`}</caption>
            <thead><tr><th scope="col">区分</th><th scope="col">時点</th><th scope="col" class="num">値</th><th scope="col">備考</th></tr></thead>
            <tbody>
              {data.rows.map((r) => (
                <tr>
                  <th scope="row">{r.label}</th><td>{r.when}</td><td class="num">{r.valueText}</td>
                  <td>{[r.note, r.source ? `出典: ${r.source}` : ''].filter((s) => s !== '').join(' / ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
    </div>
  );
}

function ReviewPart({ title, rows }: { title: string; rows: [string, string | undefined][] }) {
  const shown = rows.filter((r): r is [string, string] => r[1] !== undefined && r[1].trim() !== '');
  if (shown.length === 0) return null;
  return (
    <div class="review">
      <p><strong>{title}</strong></p>
      <dl>{shown.map(([k, v]) => <><dt>{k}</dt><dd class="pre">{v}</dd></>)}</dl>
    </div>
  );
}

/** The published mid-year review and year-end evaluation of an item, ratings by their labels. */
export function ReviewsView({ reviews, scales }: { reviews: Reviews | undefined; scales: RatingScales }) {
  const mid: MidYearReview | null | undefined = reviews?.midYear;
  const end: YearEndReview | null | undefined = reviews?.yearEnd;
  const rate = (r: MidYearReview['achievement']) => (r ? ratingLabel(r, scales) : undefined);
  return (
    <>
      {mid ? (
        <ReviewPart title="中間振り返り" rows={[
          ['取組内容の実施見込み', rate(mid.implementation)], ['目標の達成見込み', rate(mid.achievement)],
          ['取組の進捗状況', mid.comment], ['課題と改善策', mid.problemsAndMeasures],
        ]} />
      ) : null}
      {end ? (
        <ReviewPart title="年度末の自己評価" rows={[['目標の達成状況', rate(end.achievement)], ['取組実績', end.result], ['課題と改善策', end.problemsAndMeasures]]} />
      ) : null}
    </>
  );
}
