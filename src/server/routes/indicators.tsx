/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import {
  deleteMeasurement, importMeasurementsCsv, measurementsTemplate, recordMeasurement, todayInJapan, viewIndicators, type IndicatorsView,
} from '../../app/checks.ts';
import { ValidationError } from '../../app/errors.ts';
import { formatFiscalYearBoth } from '../../domain/fiscal-year.ts';
import { planItems, type LocatedItem } from '../../domain/item-ids.ts';
import { formatSlashDate } from '../../domain/pdca/fiscal-time.ts';
import { MAX_CSV_BYTES, MAX_CSV_ROWS, measurementsCsvTemplate } from '../../formats/csv/measurements.ts';
import type { MeasurementRecord } from '../../store/store.ts';
import { useCaseErrorOrThrow } from '../app-errors.tsx';
import type { AppEnv } from '../context.ts';
import { csrfInput, formFields, intParam, notFound, page, userOf } from '../respond.tsx';
import { displayNames } from '../user-names.ts';
import { IndicatorFigure, RollUpSummary, withUnit } from '../views/indicator-view.tsx';
import { ScrollBox } from '../views/plan-view.tsx';
import { formatDateTime } from '../views/staff-views.tsx';
import { staffPlanPath } from './load-plan.ts';

/** Indicators of a plan for staff: status, charts, the measurements, and recording them (one by one or by CSV). */
export const indicatorRoutes = new Hono<AppEnv>();

const indicatorsPath = (planId: number, rest = '') => staffPlanPath(planId, `/indicators${rest}`);

/** 「戦略1-1 題名」: how a group of indicators is headed. */
export function itemHeading({ kind, label, item }: LocatedItem): string {
  const title = (item as { title?: string }).title ?? '';
  switch (kind) {
    case 'issue':
      return `経営課題${label} ${title}`;
    case 'strategy':
      return `戦略${label} ${title}`;
    case 'initiative':
      return `具体的取組${label} ${title}`;
    case 'reformItem':
      return `市政改革の取組項目 ${title}`;
  }
}

interface FormState {
  values?: Record<string, string>;
  problems?: Readonly<Record<string, string>>;
  csvProblems?: string[];
  status?: 200 | 422;
}

function FieldProblem({ id, problems }: { id: string; problems: Readonly<Record<string, string>> | undefined }) {
  const message = problems?.[id];
  return message ? <p class="field-problem" id={`${id}-problem`}>{message}</p> : null;
}

function describedBy(id: string, problems: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return problems?.[id] ? { 'aria-describedby': `${id}-problem`, 'aria-invalid': 'true' } : {};
}

function MeasurementTable({ c, view, records, label, id, nameOf }: {
  c: Context<AppEnv>; view: IndicatorsView; records: readonly MeasurementRecord[]; label: string; id: string; nameOf: (u: string) => string;
}) {
  const unit = view.indicators.find((i) => i.label === label)?.indicator.unit ?? '';
  if (records.length === 0) return <p class="empty">{`${label}の実績はまだ記録されていません。`}</p>;
  return (
    <ScrollBox captionId={`${id}-table`}>
      <table>
        <caption id={`${id}-table`}>{`${label}の実績`}</caption>
        <thead>
          <tr>
            <th scope="col">日付</th><th scope="col" class="num">値</th><th scope="col">備考</th><th scope="col">出典</th><th scope="col">記録</th>
            {view.canRecord ? <th scope="col">操作</th> : null}
          </tr>
        </thead>
        <tbody>
          {records.map((m) => (
            <tr>
              <th scope="row">{formatSlashDate(m.date)}</th><td class="num">{withUnit(m.value, unit)}</td>
              <td class="pre">{m.note ?? ''}</td><td>{m.source ?? ''}</td>
              <td>{`${nameOf(m.author)}(${formatDateTime(m.recordedAt)})`}</td>
              {view.canRecord ? (
                <td>
                  <form method="post" action={indicatorsPath(view.summary.id, `/measurements/${m.id}/delete`)}>
                    {csrfInput(c)}
                    <button type="submit" class="danger" aria-label={`${label}の${formatSlashDate(m.date)}の実績を削除`}>削除</button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}

async function indicatorsPage(c: Context<AppEnv>, planId: number, state: FormState = {}): Promise<Response> {
  const { store, now } = c.var.config;
  const user = userOf(c);
  const [view, nameOf] = await Promise.all([viewIndicators(store, user, { planId, today: todayInJapan(now()) }), displayNames(store)]);
  const { summary, plan, status } = view;
  const byIndicator = new Map<string, MeasurementRecord[]>();
  for (const m of view.measurements) byIndicator.set(m.indicatorId, [...(byIndicator.get(m.indicatorId) ?? []), m]);
  const name = `${summary.organizationName} ${formatFiscalYearBoth(summary.fiscalYear)}`;
  const recordable = view.indicators.filter((i) => i.indicator.id !== undefined);
  const values = state.values ?? {};
  const p = state.problems;
  const recorded = c.req.query('recorded');
  const groups = planItems(plan)
    .map((item) => ({ item, indicators: view.indicators.filter((i) => i.path.startsWith(`${item.path}.`) && !i.path.slice(item.path.length + 1).includes('.')) }))
    .filter((g) => g.indicators.length > 0);
  return page(c, `${name} 指標と実績`, (
    <>
      <nav aria-label="パンくず"><a href="/staff">職員用ページ</a> › <a href={staffPlanPath(summary.id)}>{`${name} 運営方針`}</a> › 指標と実績</nav>
      <h1>{`${name} 指標と実績`}</h1>
      {recorded ? <p class="flash" role="status">{`実績を${recorded}件記録しました。`}</p> : null}
      {c.req.query('deleted') === '1' ? <p class="flash" role="status">実績を1件削除しました。</p> : null}
      <p>実績の記録は運営方針の版を作らず、公開中の運営方針もそのまま公開されます(記録は変更履歴とは別に、監査ログに残ります)。</p>
      <ul class="tools">
        <li><a href={staffPlanPath(summary.id, '/schedule')}>点検予定</a></li>
        <li><a href={indicatorsPath(summary.id, '/template.csv')} download>取り込み用のCSVテンプレート</a></li>
      </ul>
      <RollUpSummary rolled={status} label="運営方針全体" />
      {view.indicators.length === 0 ? <p class="empty">この運営方針の現在の版には指標がありません。指標は運営方針の編集画面で追加します。</p> : null}

      {view.canRecord && recordable.length > 0 ? (
        <section aria-labelledby="record">
          <h2 id="record">実績を記録する</h2>
          {p && Object.keys(p).length > 0 ? <p class="problems" role="alert">{`入力に${Object.keys(p).length}件の問題があります。`}</p> : null}
          <form method="post" action={indicatorsPath(summary.id, '/measurements')} class="stack">
            {csrfInput(c)}
            <label for="indicatorId">指標</label>
            <select id="indicatorId" name="indicatorId" {...describedBy('indicatorId', p)}>
              {recordable.map((i) => {
                const text = `${i.label} ${i.indicator.statement}`;
                return <option value={i.indicator.id!} selected={values['indicatorId'] === i.indicator.id}>{text.length > 80 ? `${text.slice(0, 80)}…` : text}</option>;
              })}
            </select>
            <FieldProblem id="indicatorId" problems={p} />
            <label for="date">日付</label>
            <input type="date" id="date" name="date" value={values['date'] ?? ''} required {...describedBy('date', p)} />
            <FieldProblem id="date" problems={p} />
            <label for="value">値(単位は指標のとおり)</label>
            <input type="text" id="value" name="value" inputmode="decimal" value={values['value'] ?? ''} required {...describedBy('value', p)} />
            <FieldProblem id="value" problems={p} />
            <label for="note">備考(任意)</label>
            <textarea id="note" name="note" rows={2} {...describedBy('note', p)}>{values['note'] ?? ''}</textarea>
            <FieldProblem id="note" problems={p} />
            <label for="dataSource">出典(任意)</label>
            <input type="text" id="dataSource" name="dataSource" value={values['dataSource'] ?? ''} {...describedBy('dataSource', p)} />
            <FieldProblem id="dataSource" problems={p} />
            <div class="tools"><button type="submit" class="primary">記録する</button></div>
          </form>

          <h2 id="csv">CSVファイルで取り込む</h2>
          {state.csvProblems ? (
            <div class="problems" role="alert">
              <p>{`CSVファイルを取り込めませんでした(${state.csvProblems.length}件の問題)。ファイルの内容は1件も記録していません。`}</p>
              <ul>{state.csvProblems.map((m) => <li>{m}</li>)}</ul>
            </div>
          ) : null}
          <p>{`Excel で作った CSV(UTF-8 または Shift_JIS)を取り込めます。1行目は見出し(指標ID,指標,日付,値,備考,出典)です。${MAX_CSV_ROWS.toLocaleString('en-US')}行、${MAX_CSV_BYTES / 1024}KB まで。1行でも誤りがあると、ファイル全体を取り込みません。`}</p>
          <form method="post" action={indicatorsPath(summary.id, '/csv')} enctype="multipart/form-data" class="stack">
            {csrfInput(c)}
            <label for="file">CSVファイル</label>
            <input type="file" id="file" name="file" accept=".csv,text/csv" required />
            <div class="tools"><button type="submit">取り込む</button></div>
          </form>
        </section>
      ) : null}

      {groups.map(({ item, indicators }) => {
        const rolled = item.item.id !== undefined ? status.byItemId.get(item.item.id) : undefined;
        const heading = itemHeading(item);
        return (
          <section aria-labelledby={`group-${item.item.id ?? item.path}`}>
            <h2 id={`group-${item.item.id ?? item.path}`}>{heading}</h2>
            {rolled ? <RollUpSummary rolled={rolled} label={heading.split(' ')[0]!} /> : null}
            {indicators.map((located, n) => {
              const entry = rolled?.indicators.find((e) => e.indicator === located.indicator);
              const records = located.indicator.id !== undefined ? byIndicator.get(located.indicator.id) ?? [] : [];
              const id = `ind-${item.item.id ?? n}-${located.position}`;
              if (!entry) return null;
              return (
                <IndicatorFigure
                  indicator={located.indicator} label={located.label} result={entry.result} measurements={records} id={id}
                  table={<MeasurementTable c={c} view={view} records={records} label={located.label} id={id} nameOf={nameOf} />}
                />
              );
            })}
          </section>
        );
      })}
    </>
  ), state.status ?? 200);
}

indicatorRoutes.get('/staff/plans/:planId/indicators', async (c) => {
  const planId = intParam(c.req.param('planId'));
  if (planId === undefined) return notFound(c);
  try {
    return await indicatorsPage(c, planId);
  } catch (e) {
    return useCaseErrorOrThrow(c, e, '/staff');
  }
});

indicatorRoutes.get('/staff/plans/:planId/indicators/template.csv', async (c) => {
  const planId = intParam(c.req.param('planId'));
  if (planId === undefined) return notFound(c);
  try {
    const { summary, indicators } = await measurementsTemplate(c.var.config.store, userOf(c), planId);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="measurements-${summary.organizationSlug}-${summary.fiscalYear}.csv"`);
    return c.body(measurementsCsvTemplate(indicators));
  } catch (e) {
    return useCaseErrorOrThrow(c, e, '/staff');
  }
});

indicatorRoutes.post('/staff/plans/:planId/indicators/measurements', async (c) => {
  const planId = intParam(c.req.param('planId'));
  if (planId === undefined) return notFound(c);
  const form = await formFields(c);
  const field = (name: string) => form[name] ?? '';
  try {
    await recordMeasurement(c.var.config.store, userOf(c), {
      planId, indicatorId: field('indicatorId'), date: field('date'), value: field('value'), note: field('note'), source: field('dataSource'),
    });
    return c.redirect(`${indicatorsPath(planId)}?recorded=1`, 303);
  } catch (e) {
    if (e instanceof ValidationError) {
      const values = { indicatorId: field('indicatorId'), date: field('date'), value: field('value'), note: field('note'), dataSource: field('dataSource') };
      return indicatorsPage(c, planId, { values, problems: e.problems, status: 422 });
    }
    return useCaseErrorOrThrow(c, e, indicatorsPath(planId));
  }
});

indicatorRoutes.post('/staff/plans/:planId/indicators/csv', async (c) => {
  const planId = intParam(c.req.param('planId'));
  if (planId === undefined) return notFound(c);
  try {
    const body = await c.req.parseBody();
    const file = body['file'];
    // Who may record is the use case's first question: a missing or oversized file is told only to them.
    const bytes = file instanceof File ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array(0);
    const outcome = await importMeasurementsCsv(c.var.config.store, userOf(c), { planId, bytes });
    if (outcome.kind === 'invalid') return await indicatorsPage(c, planId, { csvProblems: outcome.problems, status: 422 });
    return c.redirect(`${indicatorsPath(planId)}?recorded=${outcome.records.length}`, 303);
  } catch (e) {
    return useCaseErrorOrThrow(c, e, indicatorsPath(planId));
  }
});

indicatorRoutes.post('/staff/plans/:planId/indicators/measurements/:id/delete', async (c) => {
  const planId = intParam(c.req.param('planId'));
  const id = intParam(c.req.param('id'));
  if (planId === undefined || id === undefined) return notFound(c);
  try {
    await deleteMeasurement(c.var.config.store, userOf(c), { planId, id });
    return c.redirect(`${indicatorsPath(planId)}?deleted=1`, 303);
  } catch (e) {
    return useCaseErrorOrThrow(c, e, indicatorsPath(planId));
  }
});
