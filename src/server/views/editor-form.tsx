/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Diagnostic } from '../../domain/diagnostic.ts';
import type { Indicator, IndicatorPoint, ItemIdentity, Plan } from '../../domain/plan.ts';
import { formatNumber, formatSdgs, localNumber } from '../editor/plan-form.ts';
import { AddButton, Field, FieldProblems, fieldId, Group, ItemTools, More, SelectField, type FieldState } from './form-fields.tsx';
import { PriorYearNote, type PriorYear } from './prior-year.tsx';

export interface EditorFormProps {
  action: string;
  plan: Plan;
  baseRevision: number;
  csrfToken: string;
  diagnostics: readonly Diagnostic[];
  state: FieldState;
  message?: string;
  /** Said beside the save button: what saving will do besides saving (withdraw an approval request). */
  notice?: string;
  /** Last year's plan, for the items continued from it (their 課題と改善策 and budgets). */
  prior?: PriorYear;
}

const DIRECTIONS = [['higher', '高いほどよい'], ['lower', '低いほどよい']] as const;

function PointFields({ at, label, point, withDate, state }: { at: string; label: string; point: IndicatorPoint | null | undefined; withDate: boolean; state: FieldState }) {
  return (
    <div class="point" id={fieldId(at)}>
      <FieldProblems path={at} state={state} />
      <Field path={`${at}.value`} label={`${label}(数値)`} value={point ? formatNumber(point.value) : ''} state={state} short />
      <Field path={`${at}.fiscalYear`} label={`${label}の年度(西暦)`} value={point?.fiscalYear === undefined ? '' : String(point.fiscalYear)} state={state} short />
      {withDate || point?.date !== undefined || state.problems.has(`${at}.date`) || state.raw.has(`${at}.date`) ? (
        <Field path={`${at}.date`} label={`${label}の日付(年度でなく日付で示す場合、例: 2016-10-31)`} value={point?.date ?? ''} state={state} />
      ) : null}
    </div>
  );
}

/** An item's indicators: each with its id in a hidden field, like items, so measurements stay attached to it. */
function IndicatorList({ list, label, indicators, state }: { list: string; label: string; indicators: readonly Indicator[] | undefined; state: FieldState }) {
  return (
    <div class="indicators">
      {(indicators ?? []).map((ind, n) => {
        const at = `${list}[${n}]`;
        return (
          <Group legend={`${label} ${n + 1}`}>
            <ItemTools path={at} label={`${label}${n + 1}`} state={state} />
            {ind.id ? <input type="hidden" name={`${at}.id`} value={ind.id} /> : null}
            <Field path={`${at}.statement`} label="指標(何をどう測るか)" value={ind.statement} state={state} multiline />
            <Field path={`${at}.unit`} label="単位(%、人、件など)" value={ind.unit} state={state} short />
            <SelectField path={`${at}.direction`} label="よい方向" value={ind.direction} options={DIRECTIONS} state={state} />
            <PointFields at={`${at}.baseline`} label="基準値" point={ind.baseline} withDate state={state} />
            <PointFields at={`${at}.target`} label="目標値" point={ind.target} withDate={false} state={state} />
            <Field path={`${at}.source`} label="データの出典(例: 区民アンケート)" value={ind.source ?? ''} state={state} />
          </Group>
        );
      })}
      <AddButton list={list} label={`${label}を追加`} state={state} />
    </div>
  );
}

const filled = (...values: (string | number | null | undefined | readonly unknown[])[]) =>
  values.some((v) => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null && v !== ''));

export function Problems({ diagnostics }: { diagnostics: readonly Diagnostic[] }) {
  if (diagnostics.length === 0) return null;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return (
    <section class="problems" aria-labelledby="problems-heading">
      <h2 id="problems-heading">{errors > 0 ? `${errors}件のエラー(直すまで保存できません)` : `${diagnostics.length}件の注意`}</h2>
      <ul>
        {diagnostics.map((d) => (
          <li>{d.field ? <a href={`#${fieldId(d.field)}`}>{d.message}</a> : d.message}{d.severity === 'warning' ? '(注意)' : ''}</li>
        ))}
      </ul>
    </section>
  );
}

/** An item's stable id travels with it through add, move and remove, so a save can be merged by id. */
function IdInputs({ at, item }: { at: string; item: ItemIdentity }) {
  return (
    <>
      {item.id ? <input type="hidden" name={`${at}.id`} value={item.id} /> : null}
      {item.carriedFrom ? <input type="hidden" name={`${at}.carriedFrom`} value={item.carriedFrom} /> : null}
    </>
  );
}

export function SaveBar({ message, notice }: { message?: string; notice?: string }) {
  return (
    <div class="savebar">
      {notice ? <p class="notice" role="note">{notice}</p> : null}
      {message === undefined ? null : (
        <>
          <label for="f-message">変更の説明(履歴に残ります)</label>
          <input type="text" id="f-message" name="_message" value={message} />
        </>
      )}
      <div class="tools"><button type="submit" name="action" value="save" class="primary">保存する</button></div>
    </div>
  );
}

/** The whole plan as one form; structural buttons post it back and the server re-renders. */
export function EditorForm({ action, plan, baseRevision, csrfToken, diagnostics, state, message = '', notice, prior }: EditorFormProps) {
  return (
    <form method="post" action={action} class="stack editor" novalidate>
      {/* The first submit button is what Enter in a text field presses: make it Save. */}
      <SaveBar message={message} {...(notice ? { notice } : {})} />
      <input type="hidden" name="_csrf" value={csrfToken} />
      <input type="hidden" name="_baseRevision" value={String(baseRevision)} />
      <Problems diagnostics={diagnostics} />

      <Group legend="基本情報">
        <label for="f-documentStatus">文書の状態</label>
        <select id="f-documentStatus" name="documentStatus">
          <option value="draft" selected={plan.documentStatus === 'draft'}>案</option>
          <option value="final" selected={plan.documentStatus === 'final'}>確定</option>
        </select>
        <Field path="head" label="区長名" value={plan.head ?? ''} state={state} />
        <Field path="goal" label="区の目標(何をめざすのか)" value={plan.goal} state={state} multiline />
      </Group>

      <Group legend="区の使命(どのような役割を担うのか)">
        {plan.mission.map((m, i) => (
          <div class="item">
            <Field path={`mission[${i}]`} label={`使命 ${i + 1}`} value={m} state={state} />
            <ItemTools path={`mission[${i}]`} label={`使命${i + 1}`} state={state} />
          </div>
        ))}
        <AddButton list="mission" label="使命を追加" state={state} />
      </Group>

      <Group legend="区運営の基本的な考え方(区長の方針)">
        <Field path="policy" label="方針(段落は改行で区切ります)" value={plan.policy} state={state} multiline />
      </Group>

      <h2>重点的に取り組む主な経営課題(様式2)</h2>
      {plan.issues.map((issue, i) => {
        const at = `issues[${i}]`;
        return (
          <Group legend={`経営課題${issue.number} ${issue.title}`}>
            <ItemTools path={at} label={`経営課題${issue.number}`} state={state} />
            <IdInputs at={at} item={issue} />
            <Field path={`${at}.number`} label="経営課題の番号" value={String(issue.number)} state={state} short />
            <Field path={`${at}.title`} label="経営課題の題名" value={issue.title} state={state} />
            <Field path={`${at}.summary`} label="経営課題の概要" value={issue.summary} state={state} multiline />
            <PriorYearNote prior={prior} carriedFrom={issue.carriedFrom} />
            <More summary="詳しい項目(めざすべき将来像・現状・要因分析・課題・SDGs・予算額)"
              paths={['vision', 'currentState', 'causeAnalysis', 'challenge', 'sdgs', 'budgetThousandYen'].map((k) => `${at}.${k}`)}
              filled={filled(issue.vision, issue.currentState, issue.causeAnalysis, issue.challenge, issue.sdgs, issue.budgetThousandYen)} state={state}>
              <Field path={`${at}.vision`} label="めざすべき将来像(最終的なめざす状態)" value={issue.vision ?? ''} state={state} multiline />
              <Field path={`${at}.currentState`} label="現状(課題認識)" value={issue.currentState ?? ''} state={state} multiline />
              <Field path={`${at}.causeAnalysis`} label="要因分析" value={issue.causeAnalysis ?? ''} state={state} multiline />
              <Field path={`${at}.challenge`} label="課題" value={issue.challenge ?? ''} state={state} multiline />
              <Field path={`${at}.sdgs`} label="関連するSDGsのゴール番号(例: 11, 3)" value={formatSdgs(issue.sdgs ?? [])} state={state} />
              <Field path={`${at}.budgetThousandYen`} label="経営課題の予算額(千円、様式にある場合)"
                value={issue.budgetThousandYen === undefined ? '' : issue.budgetThousandYen === null ? '-' : String(issue.budgetThousandYen)} state={state} short />
            </More>
            <IndicatorList list={`${at}.outcomeIndicators`} label={`経営課題${issue.number}のアウトカム指標`} indicators={issue.outcomeIndicators} state={state} />
            {issue.strategies.map((s, j) => {
              const sat = `${at}.strategies[${j}]`;
              return (
                <Group legend={`戦略 ${s.number} ${s.title}`}>
                  <ItemTools path={sat} label={`戦略${s.number}`} state={state} />
                  <IdInputs at={sat} item={s} />
                  <Field path={`${sat}.number`} label={`戦略の番号(${issue.number}- に続く数)`} value={localNumber(s.number)} state={state} short />
                  <Field path={`${sat}.title`} label="戦略の題名" value={s.title} state={state} />
                  <Field path={`${sat}.description`} label="戦略の内容" value={s.description} state={state} multiline />
                  <PriorYearNote prior={prior} carriedFrom={s.carriedFrom} />
                  <Field path={`${sat}.targetState`} label="めざす状態" value={s.targetState ?? ''} state={state} multiline />
                  <IndicatorList list={`${sat}.outcomeIndicators`} label={`戦略${s.number}のアウトカム指標`} indicators={s.outcomeIndicators} state={state} />
                  {s.initiatives.map((it, k) => {
                    const iat = `${sat}.initiatives[${k}]`;
                    return (
                      <Group legend={`具体的取組 ${it.number} ${it.title}`}>
                        <ItemTools path={iat} label={`具体的取組${it.number}`} state={state} />
                        <IdInputs at={iat} item={it} />
                        <Field path={`${iat}.number`} label={`取組の番号(${s.number}- に続く数)`} value={localNumber(it.number)} state={state} short />
                        <Field path={`${iat}.title`} label="具体的取組の題名" value={it.title} state={state} />
                        <Field path={`${iat}.budgetThousandYen`} label="予算額(千円、なしは -)" value={it.budgetThousandYen === null ? '-' : String(it.budgetThousandYen)} state={state} short />
                        <Field path={`${iat}.cmBudgetThousandYen`} label="区CM予算額(千円、なしは空欄)" value={it.cmBudgetThousandYen === null ? '' : String(it.cmBudgetThousandYen)} state={state} short />
                        <Field path={`${iat}.description`} label="取組の内容" value={it.description} state={state} multiline />
                        <PriorYearNote prior={prior} carriedFrom={it.carriedFrom} />
                        <IndicatorList list={`${iat}.processIndicators`} label={`具体的取組${it.number}の業績目標`} indicators={it.processIndicators} state={state} />
                        <More summary="詳しい項目(前年度までの実績・撤退・再構築基準)" paths={[`${iat}.priorResults`, `${iat}.exitCriterion`]}
                          filled={filled(it.priorResults, it.exitCriterion)} state={state}>
                          <Field path={`${iat}.priorResults`} label="前年度までの実績" value={it.priorResults ?? ''} state={state} multiline />
                          <Field path={`${iat}.exitCriterion`} label="撤退・再構築基準" value={it.exitCriterion ?? ''} state={state} multiline />
                        </More>
                      </Group>
                    );
                  })}
                  <AddButton list={`${sat}.initiatives`} label={`戦略${s.number}に具体的取組を追加`} state={state} />
                </Group>
              );
            })}
            <AddButton list={`${at}.strategies`} label={`経営課題${issue.number}に戦略を追加`} state={state} />
          </Group>
        );
      })}
      <AddButton list="issues" label="経営課題を追加" state={state} />

      <h2>市政改革プランに基づく取組等(様式3)</h2>
      {plan.reform ? (
        <Group legend="様式3">
          <input type="hidden" name="reform.present" value="1" />
          <Field path="reform.planName" label="プランの名称(例: 市政改革プラン2.0)" value={plan.reform.planName} state={state} />
          {plan.reform.items.map((item, i) => (
            <Group legend={`取組項目 ${i + 1}`}>
              <ItemTools path={`reform.items[${i}]`} label={`取組項目${i + 1}`} state={state} />
              <IdInputs at={`reform.items[${i}]`} item={item} />
              <Field path={`reform.items[${i}].title`} label="主な取組項目" value={item.title} state={state} />
              <Field path={`reform.items[${i}].content`} label="取組内容" value={item.content} state={state} multiline />
              <PriorYearNote prior={prior} carriedFrom={item.carriedFrom} />
              <IndicatorList list={`reform.items[${i}].indicators`} label={`取組項目${i + 1}の指標`} indicators={item.indicators} state={state} />
            </Group>
          ))}
          <AddButton list="reform.items" label="取組項目を追加" state={state} />
          <div class="tools"><button type="submit" name="action" value="removeReform" class="danger">様式3を削除</button></div>
        </Group>
      ) : (
        <div class="tools"><button type="submit" name="action" value="addReform" autofocus={state.focus === 'addReform'}>様式3を追加</button></div>
      )}

      <h2>自己評価</h2>
      <Group legend="自己評価">
        <Field path="selfEvaluation.achievements" label="1年間の取組成果と今後取り組みたいこと" value={plan.selfEvaluation.achievements} state={state} multiline />
        <Field path="selfEvaluation.challenges" label="解決すべき課題と今後の改善方向" value={plan.selfEvaluation.challenges} state={state} multiline />
        <More summary="2023年度以降の様式の項目(定量評価・定性評価・今後の方針)"
          paths={['selfEvaluation.quantitative', 'selfEvaluation.qualitative', 'selfEvaluation.outlook']}
          filled={filled(plan.selfEvaluation.quantitative, plan.selfEvaluation.qualitative, plan.selfEvaluation.outlook)} state={state}>
          <Field path="selfEvaluation.quantitative" label="アウトカム指標の達成状況(定量評価)" value={plan.selfEvaluation.quantitative ?? ''} state={state} multiline />
          <Field path="selfEvaluation.qualitative" label="自己評価(運営方針全体の定性評価)" value={plan.selfEvaluation.qualitative ?? ''} state={state} multiline />
          <Field path="selfEvaluation.outlook" label="今後の方針" value={plan.selfEvaluation.outlook ?? ''} state={state} multiline />
        </More>
      </Group>
      <SaveBar {...(notice ? { notice } : {})} />
    </form>
  );
}
