import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/domain/plan.ts';
import { withIndicatorIds, withReviewPeriodOf, withReviewsOf } from '../../src/server/editor/carry.ts';
import { applyEditAction, focusAfter, parseEditAction } from '../../src/server/editor/edit-actions.ts';
import { planFromForm, planToFormFields, readDate, readFiscalYear, readNumber, type FormFields } from '../../src/server/editor/plan-form.ts';
import { EditorForm } from '../../src/server/views/editor-form.tsx';
import { fieldState } from '../../src/server/views/form-fields.tsx';
import { editorTestPlan } from './editor-test-plan.ts';
import { formFieldsOf } from './harness.ts';

const fixed = { organization: '西区', fiscalYear: 2017 };
const S11 = 'issues[0].strategies[0]';

/** The editor test plan with every /2 field the editor and the review form hold. */
function checkPlan(): Plan {
  const plan = editorTestPlan();
  const issue = plan.issues[0]!;
  Object.assign(issue, { id: 'i1', vision: '将来像', currentState: '現状', causeAnalysis: '要因', challenge: '課題', sdgs: [11, 3], budgetThousandYen: 54000,
    outcomeIndicators: [{ id: 'ind-issue', statement: '参加率', unit: '%', direction: 'higher', baseline: { value: 32.5, date: '2016-10-31' }, target: { value: 40, fiscalYear: 2019 }, source: '区民アンケート' }] });
  const s = issue.strategies[0]!;
  Object.assign(s, { id: 's11', targetState: 'めざす状態',
    outcomeIndicators: [{ id: 'ind-s', statement: '認知度', unit: '%', direction: 'lower', target: { value: 10, fiscalYear: 2018 } }],
    reviews: {
      midYear: { implementation: { scale: 'osaka-midyear-implementation', code: '(ⅰ)' }, achievement: { scale: 'osaka-midyear-achievement', code: '②' }, comment: '進捗', problemsAndMeasures: '改善する' },
      yearEnd: { achievement: { scale: 'osaka-yearend-achievement', code: '①' }, result: '実績' },
    } });
  Object.assign(s.initiatives[0]!, { id: 'it111', priorResults: '実績', exitCriterion: '基準',
    processIndicators: [{ id: 'ind-p', statement: '開催回数', unit: '回', direction: 'higher', baseline: { value: -1.5, fiscalYear: 2016 } }] });
  Object.assign(plan.reform!.items[0]!, { id: 'r1', indicators: [{ id: 'ind-r', statement: '回収率', unit: '%', direction: 'higher' }], reviews: { midYear: { comment: 'のみ' } } });
  plan.selfEvaluation = { achievements: 'a', challenges: 'b', quantitative: '定量', qualitative: '定性', outlook: '方針' };
  return plan;
}

const fields = (plan: Plan): FormFields => Object.fromEntries(planToFormFields(plan));

async function editorFields(plan: Plan): Promise<FormFields> {
  return formFieldsOf(String(await EditorForm({ action: '/x', plan, baseRevision: 3, csrfToken: 't', diagnostics: [], state: fieldState([]) })));
}

describe('the /2 fields in the form grammar', () => {
  it('round-trips indicators, reviews and the newer forms\' texts through planToFormFields and planFromForm', () => {
    const plan = checkPlan();
    const parsed = planFromForm(fields(plan), fixed);
    expect(parsed.problems).toEqual([]);
    expect(parsed.plan).toEqual(plan);
  });

  it('the editor form shows indicators and texts (not reviews, not measurements) and reads back to the same plan', async () => {
    const plan = checkPlan();
    plan.issues[0]!.outcomeIndicators![0]!.measurements = [{ date: '2017-09-30', value: 34 }];
    const html = String(await EditorForm({ action: '/x', plan, baseRevision: 3, csrfToken: 't', diagnostics: [], state: fieldState([]) }));
    expect(html).not.toContain('reviews.');
    expect(html).not.toContain('measurements');
    expect(html).toContain(`name="${S11}.outcomeIndicators[0].id" value="ind-s"`);
    expect(html).toMatch(/<option value="lower" selected[^>]*>低いほどよい<\/option>/);
    // Filled rarely used fields are shown open; an item without them has them folded.
    expect(html).toMatch(/<details class="more" open[^>]*><summary>詳しい項目\(めざすべき将来像/);
    expect(html).toMatch(/<details class="more"><summary>詳しい項目\(前年度までの実績/);
    const read = planFromForm(await editorFields(plan), fixed).plan;
    const expected = withReviewsOf(checkPlan(), { ...editorTestPlan(), ratingScales: undefined } as Plan);
    expect(read).toEqual(expected);
  });

  it('reads indicator numbers with the budgets\' tolerance and names the field of one it cannot read', async () => {
    expect(readNumber('１，２３４．５')).toBe(1234.5);
    expect(readNumber('▲3')).toBe(-3);
    expect(readNumber('')).toBeNull();
    expect(readNumber('三割')).toBeUndefined();
    expect(readFiscalYear('令和元年度')).toBe(2019);
    expect(readFiscalYear('２０１９年度')).toBe(2019);
    expect(readDate('2016/4/1')).toBe('2016-04-01');
    expect(readDate('2017-02-30')).toBeUndefined();
    const f = fields(checkPlan());
    f[`${S11}.outcomeIndicators[0].target.value`] = '１０％';
    f[`${S11}.outcomeIndicators[0].target.fiscalYear`] = '来年';
    f['issues[0].sdgs'] = '11, 18';
    const parsed = planFromForm(f, fixed);
    expect(parsed.problems.map((p) => p.field)).toEqual([`${S11}.outcomeIndicators[0].target.value`, `${S11}.outcomeIndicators[0].target.fiscalYear`, 'issues[0].sdgs']);
    expect(parsed.raw.get(`${S11}.outcomeIndicators[0].target.value`)).toBe('１０％');
    expect(parsed.problems[0]!.message).toContain('数値ではありません');
  });

  it('shows a problem at its indicator field, and opens folded fields that have one', async () => {
    const plan = checkPlan();
    const html = String(await EditorForm({ action: '/x', plan: { ...plan, issues: [{ ...plan.issues[0]!, vision: undefined, currentState: undefined, causeAnalysis: undefined, challenge: undefined, sdgs: undefined, budgetThousandYen: undefined }, plan.issues[1]!] } as Plan,
      baseRevision: 3, csrfToken: 't', diagnostics: [], state: fieldState([{ severity: 'error', message: 'SDGsが違います', field: 'issues[0].sdgs' }], new Map([['issues[0].sdgs', '99']])) }));
    expect(html).toMatch(/<details class="more" open[^>]*><summary>詳しい項目\(めざすべき将来像/);
    expect(html).toContain('aria-describedby="f-issues-0-sdgs-problems"');
    expect(html).toContain('value="99"');
  });
});

describe('indicator edit actions', () => {
  it('adds a first indicator to a strategy without any, focuses its statement, and removing the last leaves none', () => {
    const action = parseEditAction(`add:${S11}.outcomeIndicators`)!;
    const added = applyEditAction(editorTestPlan(), action);
    expect(added.issues[0]!.strategies[0]!.outcomeIndicators).toEqual([{ statement: '', unit: '', direction: 'higher' }]);
    expect(focusAfter(action, added)).toBe(`${S11}.outcomeIndicators[0].statement`);
    const removed = applyEditAction(added, parseEditAction(`remove:${S11}.outcomeIndicators[0]`)!);
    expect(removed.issues[0]!.strategies[0]).not.toHaveProperty('outcomeIndicators');
    expect(parseEditAction('add:issues[0].strategies[0].initiatives[0].processIndicators')).toBeDefined();
    expect(parseEditAction('add:reform.items[0].indicators')).toBeDefined();
    expect(parseEditAction('add:issues[0].indicators')).toBeUndefined();
    expect(parseEditAction('add:issues[0].strategies[0].processIndicators')).toBeUndefined();
  });

  it('moves indicators within their list', () => {
    const plan = checkPlan();
    plan.issues[0]!.outcomeIndicators!.push({ id: 'second', statement: '二つ目', unit: '件', direction: 'higher' });
    const moved = applyEditAction(plan, parseEditAction('up:issues[0].outcomeIndicators[1]')!);
    expect(moved.issues[0]!.outcomeIndicators!.map((i) => i.id)).toEqual(['second', 'ind-issue']);
  });

  it('gives new indicators ids and keeps existing ones; a repeated id is replaced', () => {
    const plan = checkPlan();
    plan.issues[0]!.strategies[0]!.outcomeIndicators!.push({ statement: '新', unit: '', direction: 'higher' }, { id: 'ind-s', statement: 'コピー', unit: '', direction: 'higher' });
    let n = 0;
    const out = withIndicatorIds(plan, () => `new-${++n}`);
    expect(out.issues[0]!.strategies[0]!.outcomeIndicators!.map((i) => i.id)).toEqual(['ind-s', 'new-1', 'new-2']);
  });
});

describe('each page holds its own part', () => {
  it('the editor takes reviews and rating scales from the base; the review form only its period', () => {
    const base = { ...checkPlan(), ratingScales: { x: [{ code: 'a', label: 'A', best: true }] } };
    const edited = planFromForm(fields(editorTestPlan()), fixed).plan;
    const mine = withReviewsOf(edited, base);
    expect(mine.ratingScales).toEqual(base.ratingScales);
    // Items match by id: the test plan's items have none, so none take a review.
    expect(mine.issues[0]!.strategies[0]!.reviews).toBeUndefined();

    const given = structuredClone(base);
    given.issues[0]!.strategies[0]!.reviews = { midYear: { comment: '新しい' }, yearEnd: { result: '無視される' } };
    delete given.reform!.items[0]!.reviews;
    const reviewed = withReviewPeriodOf(base, given, 'midYear');
    expect(reviewed.issues[0]!.strategies[0]!.reviews).toEqual({ midYear: { comment: '新しい' }, yearEnd: base.issues[0]!.strategies[0]!.reviews!.yearEnd });
    // An item the form sent no review for has none for that period.
    expect(reviewed.reform!.items[0]!).not.toHaveProperty('reviews');
  });
});
