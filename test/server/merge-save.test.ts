import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, formFieldsOf, signedIn, type Client, type World } from './harness.ts';

/** Saving an edit: merged onto whatever was saved since, never an overwrite; refused without its base. */
let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.close());

const B111 = 'issues[0].strategies[0].initiatives[0].budgetThousandYen';
const B242 = 'issues[1].strategies[1].initiatives[0].budgetThousandYen';

async function editorFields(client: Client, planId: number) {
  const res = await client.get(`/staff/plans/${planId}/edit`);
  expect(res.status).toBe(200);
  return formFieldsOf(await res.text(), `/staff/plans/${planId}/edit`);
}

const current = async (planId: number) => (await world.store.getRevision(planId))!;

describe('saving an edit', () => {
  it('keeps both editors’ changes when they changed budgets of different initiatives', async () => {
    const a = await signedIn(world.app, 'editor');
    const b = await signedIn(world.app, 'editor2');
    const planId = world.draftPlanId;
    const fa = await editorFields(a, planId);
    const fb = await editorFields(b, planId);
    expect((await a.post(`/staff/plans/${planId}/edit`, { ...fa, [B111]: '11111', action: 'save' })).status).toBe(303);
    const res = await b.post(`/staff/plans/${planId}/edit`, { ...fb, [B242]: '24242', action: 'save' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('merged=1');
    const plan = (await current(planId)).plan;
    expect(plan.issues[0]!.strategies[0]!.initiatives[0]!.budgetThousandYen).toBe(11111);
    expect(plan.issues[1]!.strategies[1]!.initiatives[0]!.budgetThousandYen).toBe(24242);
  });

  it('merges an item moved by one editor with the other editor’s change to it', async () => {
    const a = await signedIn(world.app, 'editor');
    const b = await signedIn(world.app, 'editor2');
    const planId = world.draftPlanId;
    const fa = await editorFields(a, planId);
    const fb = await editorFields(b, planId);
    // A moves strategy 2-1 below 2-4 (the form comes back with the numbers swapped), then saves.
    const moved = await a.post(`/staff/plans/${planId}/edit`, { ...fa, action: 'down:issues[1].strategies[0]' });
    expect((await a.post(`/staff/plans/${planId}/edit`, { ...formFieldsOf(await moved.text(), `/staff/plans/${planId}/edit`), action: 'save' })).status).toBe(303);
    // B, from the old order, changes the budget of 2-4-2 (the first initiative of the strategy A moved up).
    expect((await b.post(`/staff/plans/${planId}/edit`, { ...fb, [B242]: '777', action: 'save' })).status).toBe(303);
    const strategies = (await current(planId)).plan.issues[1]!.strategies;
    expect(strategies.map((s) => [s.number, s.title.slice(0, 6), s.initiatives.map((i) => [i.number, i.budgetThousandYen])])).toEqual([
      ['2-1', '誰もが自分ら', [['2-1-2', 777]]],
      ['2-4', '安心して子育', [['2-4-2', 5697]]],
    ]);
  });

  for (const bad of [undefined, '', '0', '-1', 'abc', '1.5', '999999']) {
    it(`refuses a save whose base revision is ${bad === undefined ? 'missing' : JSON.stringify(bad)}, storing nothing`, async () => {
      const editor = await signedIn(world.app, 'editor');
      const fields = await editorFields(editor, world.draftPlanId);
      const before = (await current(world.draftPlanId)).number;
      const { _baseRevision: _dropped, ...rest } = fields;
      const body = bad === undefined ? rest : { ...rest, _baseRevision: bad };
      for (const action of ['save', 'add:issues']) {
        const res = await editor.post(`/staff/plans/${world.draftPlanId}/edit`, { ...body, goal: '上書き', action });
        expect(res.status).toBe(400);
        expect(await res.text()).toMatch(/版.*編集画面を開き直してください/);
      }
      expect((await current(world.draftPlanId)).number).toBe(before);
    });
  }

  it('stores no revision for a save that changes nothing', async () => {
    const editor = await signedIn(world.app, 'editor');
    const fields = await editorFields(editor, world.draftPlanId);
    const before = (await current(world.draftPlanId)).number;
    const res = await editor.post(`/staff/plans/${world.draftPlanId}/edit`, { ...fields, action: 'save' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain(`unchanged=${before}`);
    expect((await current(world.draftPlanId)).number).toBe(before);
    expect(await (await editor.get(res.headers.get('location')!)).text()).toContain('変更がなかったため');
  });

  it('says before saving that a plan awaiting approval will be withdrawn, and records the withdrawal', async () => {
    const editor = await signedIn(world.app, 'editor');
    const planId = world.draftPlanId;
    const summary = (await world.store.getPlan(planId))!;
    await world.store.setWorkflowState({ planId, basedOnRevision: summary.currentRevision, to: 'submitted', actor: 'editor' });
    const page = await (await editor.get(`/staff/plans/${planId}/edit`)).text();
    expect(page).toContain('保存すると承認依頼は取り下げられ');
    const fields = formFieldsOf(page, `/staff/plans/${planId}/edit`);
    const res = await editor.post(`/staff/plans/${planId}/edit`, { ...fields, goal: '承認待ちの間の修正', action: 'save' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('withdrawn=1');
    const after = (await world.store.getPlan(planId))!;
    expect(after.workflowState).toBe('editing');
    const steps = await world.store.listAudit({ planId, action: 'plan.workflow', limit: 1 });
    expect(steps[0]!.detail).toMatchObject({ action: 'withdraw', from: 'submitted', to: 'editing' });
  });

  it('keeps every item’s id across saves, and gives new items new ones', async () => {
    const editor = await signedIn(world.app, 'editor');
    const planId = world.draftPlanId;
    const fields = await editorFields(editor, planId);
    const added = await editor.post(`/staff/plans/${planId}/edit`, { ...fields, action: 'add:issues[0].strategies[0].initiatives' });
    const next = formFieldsOf(await added.text(), `/staff/plans/${planId}/edit`);
    const before = (await current(planId)).plan.issues[0]!.strategies[0]!.initiatives.map((i) => i.id);
    expect((await editor.post(`/staff/plans/${planId}/edit`, { ...next, 'issues[0].strategies[0].initiatives[1].title': '新しい取組', action: 'save' })).status).toBe(303);
    const after = (await current(planId)).plan.issues[0]!.strategies[0]!.initiatives.map((i) => i.id);
    expect(after.slice(0, 1)).toEqual(before);
    expect(after[1]).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(after[1]).not.toBe(after[0]);
  });
});
