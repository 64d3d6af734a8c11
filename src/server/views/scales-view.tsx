/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { MAX_SCALE_OPTIONS } from '../../app/rating-scales.ts';
import { error, type Diagnostic } from '../../domain/diagnostic.ts';
import { bestOption } from '../../domain/pdca/plan-rules.ts';
import type { RatingOption } from '../../domain/plan.ts';
import type { Organization, RatingScaleRecord } from '../../store/store.ts';
import { Field, fieldState, SelectField } from './form-fields.tsx';

/** What the add-or-replace form shows: what was typed (kept after a refusal) or a scale to edit. */
export interface ScaleFormValues {
  name: string;
  lines: string;
  best: string;
}

export interface ScalesPageProps {
  cities: readonly Organization[];
  /** The city shown; undefined when there is none to show. */
  city: Organization | undefined;
  scales: readonly RatingScaleRecord[];
  values: ScaleFormValues;
  /** Problems by form field (name, options, best, cityId). */
  problems: Readonly<Record<string, string>>;
  done: string | undefined;
  csrf: Child;
}

export const SCALES_PATH = '/admin/scales';

export function scalesPath(cityId: number, edit?: string): string {
  return `${SCALES_PATH}?city=${cityId}${edit === undefined ? '' : `&edit=${encodeURIComponent(edit)}`}#scale-form`;
}

/** Form field name → its label on the page, for the summary of problems at the top. */
const FIELD_LABELS: Readonly<Record<string, string>> = { cityId: '市', name: '名前', options: '選択肢', best: '最良の選択肢' };

function ScaleTable({ scale }: { scale: RatingScaleRecord }) {
  const best = bestOption(scale.options);
  const captionId = `scale-${scale.name}`;
  return (
    <div class="scroll" role="group" aria-labelledby={captionId} tabindex={0}>
      <table>
        <caption id={captionId}>{scale.name}</caption>
        <thead><tr><th scope="col">記号</th><th scope="col">説明</th><th scope="col">最良</th></tr></thead>
        <tbody>
          {scale.options.map((o: RatingOption) => (
            <tr><th scope="row">{o.code}</th><td>{o.label}</td><td>{o === best ? '最良' : ''}</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The administrator's page of a city's rating scales: pick a city, read its scales, add or replace one. */
export function ScalesPage(props: ScalesPageProps) {
  const { city } = props;
  const diagnostics: Diagnostic[] = Object.entries(props.problems).map(([field, message]) => error(message, { field }));
  const state = fieldState(diagnostics);
  const bestChoices = Array.from({ length: MAX_SCALE_OPTIONS }, (_, i) => [String(i + 1), `${i + 1}番目`] as const);
  return (
    <>
      <h1>評価尺度</h1>
      <p><a href="/admin">管理へ戻る</a></p>
      <p>
        中間振り返りと年度末の自己評価の評価は、市ごとに定めた評価尺度で付けます。大阪市の尺度は最初から入っています。
        市が尺度を1つも定めていなければ大阪市の尺度を使い、大阪市の尺度と同じ名前の尺度を定めると、その市の区の評価ではそちらを使います。
      </p>
      {props.done ? <p class="flash" role="status">{props.done}</p> : null}
      {diagnostics.length > 0 ? (
        <div class="problems" role="alert">
          <p>保存できませんでした。次の項目を直してください。</p>
          <ul>{diagnostics.map((d) => <li>{`${FIELD_LABELS[d.field ?? ''] ?? ''}: ${d.message}`}</li>)}</ul>
        </div>
      ) : null}
      <form method="get" action={SCALES_PATH} class="stack">
        <label for="scale-city">市</label>
        <select id="scale-city" name="city">
          {props.cities.map((o) => <option value={String(o.id)} selected={o.id === city?.id}>{o.name}</option>)}
        </select>
        <div class="tools"><button type="submit">表示</button></div>
      </form>
      {city ? (
        <>
          <h2>{`${city.name}の評価尺度`}</h2>
          {props.scales.length === 0 ? <p class="empty">{`${city.name}はまだ評価尺度を定めていません(大阪市の尺度を使います)。`}</p> : null}
          {props.scales.map((s) => (
            <>
              <ScaleTable scale={s} />
              <p><a href={scalesPath(city.id, s.name)}>{`${s.name} を編集`}</a></p>
            </>
          ))}
          <h2 id="scale-form">{`${city.name}の評価尺度を追加・置き換え`}</h2>
          <form method="post" action={SCALES_PATH} class="stack">
            {props.csrf}
            <input type="hidden" name="cityId" value={String(city.id)} />
            <Field path="name" label="名前" value={props.values.name} state={state}
              hint="半角英小文字・数字・ハイフン(例: sakai-midyear-achievement)。同じ名前の尺度があれば置き換えます。" />
            <Field path="options" label="選択肢" value={props.values.lines} state={state} multiline
              hint={`1行に1つ、「記号:説明」の形で2〜${MAX_SCALE_OPTIONS}行(例: S:大きく上回った)。記号は10文字、説明は100文字まで。`} />
            <SelectField path="best" label="最良の選択肢(上から何番目か)" value={props.values.best} options={bestChoices} state={state} />
            <div class="tools"><button type="submit" class="primary">保存</button></div>
          </form>
        </>
      ) : <p class="empty">市が登録されていません。管理ページで種類「市」の組織を作成してください。</p>}
    </>
  );
}
