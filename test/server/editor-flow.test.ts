import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createWorld, formFieldsOf, signedIn, type World } from './harness.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.close());

const BUDGET = 'issues[0].strategies[0].initiatives[0].budgetThousandYen';
const DESCRIPTION = 'issues[0].strategies[0].initiatives[0].description';

async function openEditor(client: Client, planId: number) {
  const res = await client.get(`/staff/plans/${planId}/edit`);
  expect(res.status).toBe(200);
  const html = await res.text();
  return { html, fields: formFieldsOf(html, `/staff/plans/${planId}/edit`) };
}

async function workflow(client: Client, planId: number, to: string) {
  const summary = (await world.store.getPlan(planId))!;
  return client.post(`/staff/plans/${planId}/workflow`, { to, _revision: String(summary.currentRevision) });
}

describe('editing, approving and publishing', () => {
  it('an editor changes a budget and a description, submits; the approver approves and publishes; the public page shows it', async () => {
    const editor = await signedIn(world.app, 'editor');
    const { fields } = await openEditor(editor, world.seedPlanId);
    expect(fields[BUDGET]).toBe('22268');
    const saved = await editor.post(`/staff/plans/${world.seedPlanId}/edit`, {
      ...fields, [BUDGET]: '23,500', [DESCRIPTION]: '中間支援組織と連携し、新たに活動報告会を開く。', _message: '予算の見直し', action: 'save',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/staff/plans/${world.seedPlanId}?saved=2`);
    expect((await workflow(editor, world.seedPlanId, 'submitted')).status).toBe(303);
    // Before approval and publication the public still reads revision 1.
    expect(await (await world.app.request('/plans/nishi/2017')).text()).toContain('22,268千円');

    const approver = await signedIn(world.app, 'approver');
    // Before approving, the approver sees what changed since the published revision.
    const overview = await (await approver.get(`/staff/plans/${world.seedPlanId}`)).text();
    expect(overview).toContain(`href="/staff/plans/${world.seedPlanId}/revisions/2?from=1"`);
    const sincePublished = await (await approver.get(`/staff/plans/${world.seedPlanId}/revisions/2?from=1`)).text();
    expect(sincePublished).toMatch(/<del>22,268<\/del>.*<ins>23,500<\/ins>/s);
    expect((await workflow(approver, world.seedPlanId, 'approved')).status).toBe(303);
    expect((await workflow(approver, world.seedPlanId, 'published')).status).toBe(303);
    const html = await (await world.app.request('/plans/nishi/2017')).text();
    expect(html).toContain('23,500千円');
    expect(html).toContain('新たに活動報告会を開く');

    const history = await (await editor.get(`/staff/plans/${world.seedPlanId}/history`)).text();
    expect(history).toContain('予算の見直し');
    expect(history).toMatch(/<td>editorさん<\/td>/);
    const diff = await (await editor.get(`/staff/plans/${world.seedPlanId}/revisions/2`)).text();
    expect(diff).toContain('具体的取組1-1-1 › 予算額(千円)');
    expect(diff).toMatch(/<del>22,268<\/del>.*<ins>23,500<\/ins>/s);
  });

  it('an approver cannot publish what was not approved, and an editor cannot approve', async () => {
    const editor = await signedIn(world.app, 'editor');
    const approver = await signedIn(world.app, 'approver');
    expect((await workflow(approver, world.draftPlanId, 'published')).status).toBe(409);
    expect((await workflow(editor, world.draftPlanId, 'submitted')).status).toBe(303);
    expect((await workflow(editor, world.draftPlanId, 'approved')).status).toBe(403);
    expect((await workflow(editor, world.draftPlanId, 'editing')).status).toBe(303); // withdraw
    expect((await world.store.getPlan(world.draftPlanId))!.workflowState).toBe('editing');
  });

  it('lets the approver send a submitted plan back (差し戻し shares its target state with the editor\'s 依頼取り下げ)', async () => {
    const editor = await signedIn(world.app, 'editor');
    const approver = await signedIn(world.app, 'approver');
    expect((await workflow(editor, world.draftPlanId, 'submitted')).status).toBe(303);
    const page = await (await approver.get(`/staff/plans/${world.draftPlanId}`)).text();
    expect(page).toMatch(/<button[^>]*value="editing"[^>]*>差し戻し<\/button>/);
    expect((await workflow(approver, world.draftPlanId, 'editing')).status).toBe(303);
    expect((await world.store.getPlan(world.draftPlanId))!.workflowState).toBe('editing');
    // The history names the step the approver took, not the editor's 依頼取り下げ.
    const history = await (await approver.get(`/staff/plans/${world.draftPlanId}/history`)).text();
    expect(history).toMatch(/<td>approverさん<\/td><td>状態の変更<\/td><td class="wrap">差し戻し: 承認待ち → 編集中/);
    // And from 承認済み as well.
    expect((await workflow(editor, world.draftPlanId, 'submitted')).status).toBe(303);
    expect((await workflow(approver, world.draftPlanId, 'approved')).status).toBe(303);
    expect((await workflow(approver, world.draftPlanId, 'editing')).status).toBe(303);
    expect((await world.store.getPlan(world.draftPlanId))!.workflowState).toBe('editing');
  });

  it('refuses to submit, approve or publish a plan that has errors (an empty new plan), and says why', async () => {
    const editor = await signedIn(world.app, 'editor');
    const approver = await signedIn(world.app, 'approver');
    expect((await editor.post('/staff/plans', { organizationId: String(world.nishiId), fiscalYear: '2160', source: 'empty' })).status).toBe(303);
    const empty = (await world.store.findPlan(world.nishiId, 2160))!;
    const refused = await workflow(editor, empty.id, 'submitted');
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('区の目標が空です');
    expect((await world.store.getPlan(empty.id))!.workflowState).toBe('editing');
    // Even if it got into review some other way, it cannot be approved or published.
    await world.store.setWorkflowState({ planId: empty.id, basedOnRevision: empty.currentRevision, to: 'submitted', actor: 'test' });
    expect((await workflow(approver, empty.id, 'approved')).status).toBe(422);
    await world.store.setWorkflowState({ planId: empty.id, basedOnRevision: empty.currentRevision, to: 'approved', actor: 'test' });
    expect((await workflow(approver, empty.id, 'published')).status).toBe(422);
    expect((await world.app.request('/plans/nishi/2160')).status).toBe(404);
    // Stepping back is always allowed.
    expect((await workflow(approver, empty.id, 'editing')).status).toBe(303);
  });

  it('shows two editors who changed the same field only that field, and saves the version chosen', async () => {
    const a = await signedIn(world.app, 'editor');
    const b = await signedIn(world.app, 'editor2');
    const formA = (await openEditor(a, world.draftPlanId)).fields;
    const formB = (await openEditor(b, world.draftPlanId)).fields;
    expect((await a.post(`/staff/plans/${world.draftPlanId}/edit`, { ...formA, goal: 'Aさんの目標', action: 'save' })).status).toBe(303);
    const conflict = await b.post(`/staff/plans/${world.draftPlanId}/edit`, { ...formB, goal: 'Bさんの目標', policy: 'Bさんの方針', action: 'save' });
    expect(conflict.status).toBe(409);
    const html = await conflict.text();
    expect(html).toContain('保存する前に選んでください');
    expect(html).toContain('(editorさん、'); // who saved first, by display name
    expect(html).toContain('Aさんの目標');
    expect(html).toContain('Bさんの目標');
    expect(html.match(/<fieldset class="conflict">/g)).toHaveLength(1); // only the goal: B's policy merges
    // Nothing of B's was stored, and A's stays the newest.
    expect((await world.store.getRevision(world.draftPlanId))!.plan.goal).toBe('Aさんの目標');
    const retry = formFieldsOf(html, `/staff/plans/${world.draftPlanId}/edit`);
    const choices = [...new Set([...html.matchAll(/type="radio"[^>]*name="(_choose:[^"]+)"/g)].map((m) => m[1]))];
    expect(choices).toEqual(['_choose:goal']);
    const choice = choices[0]!;
    // Without a choice the screen comes back; with one, B's goal and B's policy are saved.
    expect((await b.post(`/staff/plans/${world.draftPlanId}/edit`, { ...retry, [choice]: '', action: 'save' })).status).toBe(409);
    expect((await b.post(`/staff/plans/${world.draftPlanId}/edit`, { ...retry, [choice]: 'mine', action: 'save' })).status).toBe(303);
    const saved = (await world.store.getRevision(world.draftPlanId))!.plan;
    expect([saved.goal, saved.policy]).toEqual(['Bさんの目標', 'Bさんの方針']);
  });

  it('names a saved item by its own number in the history, as the diff page does (2-4-2 is the second strategy’s first initiative)', async () => {
    const editor = await signedIn(world.app, 'editor');
    const { fields } = await openEditor(editor, world.seedPlanId);
    const budget = 'issues[1].strategies[1].initiatives[0].budgetThousandYen';
    expect(fields[budget]).toBe('13667');
    const saved = await editor.post(`/staff/plans/${world.seedPlanId}/edit`, { ...fields, [budget]: '14000', _message: '見守りの予算', action: 'save' });
    expect(saved.status).toBe(303);
    const label = '経営課題2 › 戦略2-4 › 具体的取組2-4-2 › 予算額(千円)';
    const revision = (await world.store.getPlan(world.seedPlanId))!.currentRevision;
    expect(await (await editor.get(`/staff/plans/${world.seedPlanId}/revisions/${revision}`)).text()).toContain(label);
    expect(await (await editor.get(`/staff/plans/${world.seedPlanId}/history`)).text()).toContain(label);

    // An entry written before labels were recorded: named by the numbers its item column kept, not by the path's positions.
    await world.store.appendAudit({
      actor: 'old', action: 'plan.save', planId: world.seedPlanId, item: 'goal,2-4-2',
      detail: { revision: 99, changeCount: 2, changes: [{ path: 'goal', kind: 'changed' }, { path: 'issues[1].strategies[1].initiatives[0].budgetThousandYen', kind: 'changed' }] },
    });
    const history = await (await editor.get(`/staff/plans/${world.seedPlanId}/history`)).text();
    expect(history).toContain('版 99 を保存(2項目の変更: 区の目標、具体的取組2-4-2)');
  });

  it('adds and moves items by re-rendering the form without saving', async () => {
    const editor = await signedIn(world.app, 'editor');
    const before = (await world.store.getPlan(world.draftPlanId))!.currentRevision;
    const { fields } = await openEditor(editor, world.draftPlanId);
    const res = await editor.post(`/staff/plans/${world.draftPlanId}/edit`, { ...fields, action: 'add:issues[1].strategies[1].initiatives' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('具体的取組 2-4-3');
    // The new initiative has no title yet: the problem is shown next to its field.
    expect(html).toMatch(/id="f-issues-1-strategies-1-initiatives-1-title"[^>]*aria-invalid="true"/);
    expect((await world.store.getPlan(world.draftPlanId))!.currentRevision).toBe(before);
  });

  it('keeps the user’s place after a structural button: the new item, the moved item’s button, or the list’s add button has focus', async () => {
    const editor = await signedIn(world.app, 'editor');
    const { fields } = await openEditor(editor, world.draftPlanId);
    const after = async (action: string) => {
      const html = await (await editor.post(`/staff/plans/${world.draftPlanId}/edit`, { ...fields, action })).text();
      const focused = [...html.matchAll(/<(?:input|textarea|button)\b[^>]*\bautofocus[^>]*>/g)].map((m) => m[0]);
      expect(focused, action).toHaveLength(1);
      return focused[0]!;
    };
    expect(await after('add:issues[1].strategies[1].initiatives')).toContain('id="f-issues-1-strategies-1-initiatives-1-title"');
    expect(await after('add:issues')).toContain('id="f-issues-4-title"');
    expect(await after('add:mission')).toContain('id="f-mission-3"');
    expect(await after('up:issues[2]')).toContain('value="up:issues[1]"');
    expect(await after('down:issues[1].strategies[0]')).toContain('value="down:issues[1].strategies[1]"');
    expect(await after('up:issues[0]')).toContain('value="up:issues[0]"');
    expect(await after('remove:issues[2].strategies[0]')).toContain('value="add:issues[2].strategies"');
    expect(await after('removeReform')).toContain('value="addReform"');
    expect(await after('addReform')).toContain('id="f-reform-planName"');
    // Opening the editor focuses nothing.
    expect((await editor.get(`/staff/plans/${world.draftPlanId}/edit`).then((r) => r.text()))).not.toMatch(/\bautofocus\b/);
  });

  it('refuses to save a plan with errors and shows them where they are', async () => {
    const editor = await signedIn(world.app, 'editor');
    const { fields } = await openEditor(editor, world.draftPlanId);
    const res = await editor.post(`/staff/plans/${world.draftPlanId}/edit`, { ...fields, goal: '', [BUDGET]: 'たくさん', action: 'save' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('2件のエラー(直すまで保存できません)');
    expect(html).toMatch(/<a href="#f-goal">区の目標が空です<\/a>/);
    expect(html).toMatch(/id="f-issues-0-strategies-0-initiatives-0-budgetThousandYen"[^>]*value="たくさん"[^>]*aria-invalid="true"/);
  });

  it('creates a plan from last year’s, from an upload, or empty, and refuses a second plan for the same year', async () => {
    const editor = await signedIn(world.app, 'editor');
    const create = (fields: Record<string, string>) => editor.post('/staff/plans', { organizationId: String(world.nishiId), ...fields });
    const fromPrevious = await create({ fiscalYear: '2019', source: 'previous' });
    expect(fromPrevious.status).toBe(303);
    const copy = (await world.store.findPlan(world.nishiId, 2019))!;
    expect((await world.store.getRevision(copy.id))!.plan.issues.length).toBe(4);
    expect((await create({ fiscalYear: '2019', source: 'empty' })).status).toBe(409);
    expect((await create({ fiscalYear: '2030', source: 'previous' })).status).toBe(422);
    expect((await create({ fiscalYear: '2020', source: 'empty' })).status).toBe(303);
    // Another ward's editor cannot create for 西区.
    const kita = await signedIn(world.app, 'kitaeditor');
    expect((await kita.post('/staff/plans', { organizationId: String(world.nishiId), fiscalYear: '2021', source: 'empty' })).status).toBe(403);

    const upload = new FormData();
    upload.set('_csrf', editor.csrf);
    upload.set('organizationId', String(world.nishiId));
    upload.set('source', 'upload');
    const text = await (await world.app.request('/plans/nishi/2017/text')).text();
    upload.set('file', new File([text.replace('平成29年度', '平成33年度')], 'nishi.txt', { type: 'text/plain' }));
    expect((await editor.request('/staff/plans', { method: 'POST', body: upload })).status).toBe(303);
    expect(await world.store.findPlan(world.nishiId, 2021)).toBeDefined();
  });
});
