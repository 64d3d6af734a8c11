import { describe, expect, it } from 'vitest';
import { validatePlan } from '../../src/domain/validate.ts';
import { applyEditAction, parseEditAction } from '../../src/server/editor/edit-actions.ts';
import { parseAmount, planFromForm, type FormFields } from '../../src/server/editor/plan-form.ts';
import { EditorForm } from '../../src/server/views/editor-form.tsx';
import { fieldState } from '../../src/server/views/form-fields.tsx';
import { editorTestPlan } from './editor-test-plan.ts';
import { formFieldsOf } from './harness.ts';

async function formOf(plan = editorTestPlan()): Promise<FormFields> {
  return formFieldsOf(String(await EditorForm({ action: '/x', plan, baseRevision: 3, csrfToken: 't', diagnostics: [], state: fieldState([]) })));
}

const fixed = { organization: '西区', fiscalYear: 2017 };

describe('editor form', () => {
  it('round-trips a plan through its own form fields unchanged', async () => {
    const plan = editorTestPlan();
    const parsed = planFromForm(await formOf(plan), fixed);
    expect(parsed.problems).toEqual([]);
    expect(parsed.plan).toEqual(plan);
  });

  it('reads amounts with commas and full-width digits, and "-" as none; reports others at their field', async () => {
    expect(parseAmount('22,268')).toBe(22268);
    expect(parseAmount('２２，２６８')).toBe(22268);
    expect(parseAmount('-')).toBeNull();
    expect(parseAmount('')).toBeNull();
    const fields = await formOf();
    fields['issues[0].strategies[0].initiatives[0].budgetThousandYen'] = '二万';
    const parsed = planFromForm(fields, fixed);
    expect(parsed.problems.map((p) => p.field)).toEqual(['issues[0].strategies[0].initiatives[0].budgetThousandYen']);
    expect(parsed.raw.get('issues[0].strategies[0].initiatives[0].budgetThousandYen')).toBe('二万');
  });

  it('makes children follow a changed issue number', async () => {
    const fields = await formOf();
    fields['issues[1].number'] = '5';
    const { plan } = planFromForm(fields, fixed);
    expect(plan.issues[1]!.strategies.map((s) => s.number)).toEqual(['5-1', '5-4']);
    expect(plan.issues[1]!.strategies[1]!.initiatives.map((i) => i.number)).toEqual(['5-4-2', '5-4-3']);
  });
});

describe('edit actions', () => {
  const act = (plan: ReturnType<typeof editorTestPlan>, value: string) => applyEditAction(plan, parseEditAction(value)!);

  it('moves a strategy up, swapping numbers so they stay ascending and children follow', () => {
    const plan = act(editorTestPlan(), 'up:issues[1].strategies[1]');
    const s = plan.issues[1]!.strategies;
    expect(s.map((x) => [x.number, x.title])).toEqual([['2-1', '見守り'], ['2-4', '子育て']]);
    expect(s[0]!.initiatives.map((i) => i.number)).toEqual(['2-1-2', '2-1-3']);
    expect(s[1]!.initiatives.map((i) => i.number)).toEqual(['2-4-2']);
    expect(validatePlan(plan).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('moves an issue down and renumbers everything under both issues', () => {
    const plan = act(editorTestPlan(), 'down:issues[0]');
    expect(plan.issues.map((i) => [i.number, i.title])).toEqual([[1, '安全・安心'], [2, '地域コミュニティ']]);
    expect(plan.issues[0]!.strategies[1]!.initiatives[0]!.number).toBe('1-4-2');
    expect(plan.issues[1]!.strategies[0]!.initiatives[0]!.number).toBe('2-1-1');
  });

  it('adds items after the highest number and removes without renumbering the rest', () => {
    let plan = act(editorTestPlan(), 'add:issues[1].strategies');
    expect(plan.issues[1]!.strategies.map((s) => s.number)).toEqual(['2-1', '2-4', '2-5']);
    plan = act(plan, 'add:issues[1].strategies[2].initiatives');
    expect(plan.issues[1]!.strategies[2]!.initiatives[0]!.number).toBe('2-5-1');
    plan = act(plan, 'remove:issues[1].strategies[0]');
    expect(plan.issues[1]!.strategies.map((s) => s.number)).toEqual(['2-4', '2-5']);
    plan = act(plan, 'add:issues');
    expect(plan.issues.map((i) => i.number)).toEqual([1, 2, 3]);
  });

  it('ignores moves past either end and refuses unknown actions', () => {
    expect(act(editorTestPlan(), 'up:issues[0]')).toEqual(editorTestPlan());
    expect(act(editorTestPlan(), 'down:mission[1]')).toEqual(editorTestPlan());
    expect(parseEditAction('up:goal[0]')).toBeUndefined();
    expect(parseEditAction('drop:issues[0]')).toBeUndefined();
    expect(parseEditAction('add:issues[0].title')).toBeUndefined();
  });
});
