import { afterAll, beforeAll, expect, it } from 'vitest';
import { TRANSITIONS, WORKFLOW_STATE_LABELS, type WorkflowState } from '../../src/domain/workflow.ts';
import { describeEachEngine } from '../store/engines.ts';
import { Client, createWorld, hiddenValue, PASSWORD, signedIn, type World } from './harness.ts';

/**
 * Every route the app registers, walked with every role, against a table of what each
 * may do. A route added without a row here fails the first test.
 */

const ROLES = ['anonymous', 'admin', 'editor', 'kitaeditor', 'approver', 'kitaapprover', 'planner'] as const;
type Who = (typeof ROLES)[number];
type Expect = Record<Who, number>;

const all = (status: number): Expect => Object.fromEntries(ROLES.map((r) => [r, status])) as Expect;
/** Staff GET pages: signed-out visitors are sent to sign in. */
const staff = (admin: number, editor: number, kitaeditor: number, approver: number, kitaapprover: number, planner: number): Expect =>
  ({ anonymous: 303, admin, editor, kitaeditor, approver, kitaapprover, planner });
/** Staff POSTs: signed-out visitors get 401 (after passing the CSRF check with the sign-in page's token). */
const staffPost = (admin: number, editor: number, kitaeditor: number, approver: number, kitaapprover: number, planner: number): Expect =>
  ({ anonymous: 401, admin, editor, kitaeditor, approver, kitaapprover, planner });

interface Row {
  expect: Expect;
  /** Form fields for POST routes, made fresh for each request. */
  body?: (w: World, n: number) => Promise<Record<string, string>> | Record<string, string>;
}

let counter = 0;
const TABLE: Record<string, Row> = {
  'GET /static/style.css': { expect: all(200) },
  'GET /': { expect: all(200) },
  'GET /plans/:slug/:fiscalYear': { expect: all(200) },
  'GET /plans/:slug/:fiscalYear/text': { expect: all(200) },
  'GET /plans/:slug/:fiscalYear/plan.pdf': { expect: all(200) },
  'GET /plans/:slug/:fiscalYear/plan.xlsx': { expect: all(200) },
  'GET /api/v1/plans': { expect: all(200) },
  'GET /api/v1/schema/hoshin-plan-1.json': { expect: all(200) },
  'GET /api/v1/plans/:slug/:fiscalYear': { expect: all(200) },
  'GET /api/v2/plans': { expect: all(200) },
  'GET /api/v2/schema/hoshin-plan-2.json': { expect: all(200) },
  'GET /api/v2/plans/:slug/:fiscalYear': { expect: all(200) },
  // Open data as CSV: published plans only, for everyone.
  'GET /plans/:slug/:fiscalYear/initiatives.csv': { expect: all(200) },
  'GET /plans/:slug/:fiscalYear/measurements.csv': { expect: all(200) },
  'GET /api/v2/plans.csv': { expect: all(200) },
  'GET /signin': { expect: { ...all(303), anonymous: 200 } },
  'POST /signin': { expect: all(303), body: () => ({ username: 'editor', password: PASSWORD }) },
  'POST /signout': { expect: all(303) },
  'GET /staff': { expect: staff(200, 200, 200, 200, 200, 200) },
  'GET /staff/plans/new': { expect: staff(200, 200, 200, 403, 403, 403) },
  'POST /staff/plans': {
    expect: staffPost(303, 303, 403, 403, 403, 403),
    body: (w, n) => ({ organizationId: String(w.nishiId), fiscalYear: String(2100 + n), source: 'empty' }),
  },
  'GET /staff/plans/:planId': { expect: staff(200, 200, 403, 200, 403, 200) },
  'GET /staff/plans/:planId/edit': { expect: staff(200, 200, 403, 403, 403, 403) },
  'POST /staff/plans/:planId/edit': {
    expect: staffPost(303, 303, 403, 403, 403, 403),
    body: async (w) => {
      const r = (await w.store.getRevision(w.draftPlanId))!;
      return { _baseRevision: String(r.number), documentStatus: 'draft', goal: '目標', action: 'save' };
    },
  },
  // Only its first step here; WORKFLOW_TABLE below walks every step from the state it applies in.
  'POST /staff/plans/:planId/workflow': {
    expect: staffPost(303, 303, 403, 403, 403, 403),
    body: async (w) => ({ to: 'submitted', _revision: String((await w.store.getPlan(w.draftPlanId))!.currentRevision) }),
  },
  'POST /staff/plans/:planId/comments': { expect: staffPost(303, 303, 403, 303, 403, 303), body: () => ({ body: 'コメント' }) },
  'GET /staff/plans/:planId/history': { expect: staff(200, 200, 403, 200, 403, 200) },
  'GET /staff/plans/:planId/revisions/:number': { expect: staff(200, 200, 403, 200, 403, 200) },
  // The Check: reviews go through the plan's editor rules; measurements, schedules and reopening have their own.
  'GET /staff/plans/:planId/reviews/:period': { expect: staff(200, 200, 403, 403, 403, 403) },
  'POST /staff/plans/:planId/reviews/:period': {
    expect: staffPost(303, 303, 403, 403, 403, 403),
    body: async (w) => ({ _baseRevision: String((await w.store.getPlan(w.draftPlanId))!.currentRevision), action: 'save' }),
  },
  'GET /staff/plans/:planId/indicators': { expect: staff(200, 200, 403, 200, 403, 200) },
  // The template holds only what the page shows: whoever may read the plan may take it.
  'GET /staff/plans/:planId/indicators/template.csv': { expect: staff(200, 200, 403, 200, 403, 200) },
  // The draft has no indicators: a permitted recording is refused as invalid (422), not as forbidden.
  'POST /staff/plans/:planId/indicators/measurements': {
    expect: staffPost(422, 422, 403, 403, 403, 403),
    body: () => ({ indicatorId: 'no-such-indicator', date: '2018-09-30', value: '1', note: '', source: '' }),
  },
  'POST /staff/plans/:planId/indicators/csv': { expect: staffPost(422, 422, 403, 403, 403, 403), body: () => ({}) },
  'POST /staff/plans/:planId/indicators/measurements/:id/delete': { expect: staffPost(404, 404, 403, 403, 403, 403), body: () => ({}) },
  'GET /staff/checks': { expect: staff(200, 200, 200, 200, 200, 200) },
  'POST /staff/checks/calendar': { expect: staffPost(200, 200, 200, 200, 200, 200), body: () => ({}) },
  // The feed needs no session, only its secret: a made-up one is the same 404 for everyone.
  'GET /calendar/:file': { expect: all(404) },
  'GET /staff/plans/:planId/schedule': { expect: staff(200, 200, 403, 200, 403, 200) },
  'POST /staff/plans/:planId/schedule': {
    expect: staffPost(303, 303, 403, 303, 403, 403),
    body: () => ({ midYearDue: '2018-10-31', yearEndDue: '2019-06-30', measurementFrequency: '', responsibleMidYear: '', responsibleYearEnd: '', responsibleMeasurements: '' }),
  },
  'POST /staff/plans/:planId/schedule/reopen': { expect: staffPost(303, 403, 403, 303, 403, 403), body: () => ({ kind: 'midYear', reopened: '1' }) },
  'GET /admin': { expect: staff(200, 403, 403, 403, 403, 403) },
  'POST /admin/users': {
    expect: staffPost(303, 403, 403, 403, 403, 403),
    body: (_w, n) => ({ username: `new${n}`, displayName: '新人', role: 'planner', organizationId: '', password: 'a long enough password' }),
  },
  'POST /admin/users/:userId': {
    expect: staffPost(303, 403, 403, 403, 403, 403),
    body: () => ({ action: 'update', displayName: '対象さん', role: 'planner', organizationId: '' }),
  },
  'POST /admin/organizations': {
    expect: staffPost(303, 403, 403, 403, 403, 403),
    body: (_w, n) => ({ name: `テスト区${n}`, kana: '', slug: `test-${n}`, code: '', kind: 'ward', parentId: '' }),
  },
  'GET /admin/scales': { expect: staff(200, 403, 403, 403, 403, 403) },
  'POST /admin/scales': {
    expect: staffPost(303, 403, 403, 403, 403, 403),
    body: async (w, n) => ({ cityId: String((await w.store.getOrganization(w.nishiId))!.parentId), name: `test-scale-${n}`, options: 'S:良い\nA:普通', best: '1' }),
  },
};

/**
 * The workflow route, step by step: for each (from → to) a plan can take, what each role gets
 * when the plan is in `from` and they ask for `to`: the status, and for a 303 the step the log
 * recorded. A request names only the target, so 承認待ち → 編集中 is the editor's 依頼取り下げ
 * and the approver's 差し戻し; the recorded step tells them apart.
 */
const WORKFLOW_TABLE: { from: WorkflowState; to: WorkflowState; expect: Record<Who, string> }[] = [
  { from: 'editing', to: 'submitted', expect: { anonymous: '401', admin: '303 承認依頼', editor: '303 承認依頼', kitaeditor: '403', approver: '403', kitaapprover: '403', planner: '403' } },
  { from: 'submitted', to: 'editing', expect: { anonymous: '401', admin: '303 依頼取り下げ', editor: '303 依頼取り下げ', kitaeditor: '403', approver: '303 差し戻し', kitaapprover: '403', planner: '403' } },
  { from: 'submitted', to: 'approved', expect: { anonymous: '401', admin: '303 承認', editor: '403', kitaeditor: '403', approver: '303 承認', kitaapprover: '403', planner: '403' } },
  { from: 'approved', to: 'editing', expect: { anonymous: '401', admin: '303 差し戻し', editor: '403', kitaeditor: '403', approver: '303 差し戻し', kitaapprover: '403', planner: '403' } },
  { from: 'approved', to: 'published', expect: { anonymous: '401', admin: '303 公開', editor: '403', kitaeditor: '403', approver: '303 公開', kitaapprover: '403', planner: '403' } },
  { from: 'published', to: 'approved', expect: { anonymous: '401', admin: '303 公開停止', editor: '403', kitaeditor: '403', approver: '303 公開停止', kitaapprover: '403', planner: '403' } },
];

let world: World;
let targetUserId: number;

function registeredRoutes(): string[] {
  const keys = world.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`);
  return [...new Set(keys)];
}

function concrete(path: string): string {
  return path
    .replace(':slug', 'nishi')
    .replace(':fiscalYear', '2017')
    .replace(':planId', String(world.draftPlanId))
    .replace(':number', '1')
    .replace(':userId', String(targetUserId))
    .replace(':period', 'midYear')
    .replace(':id', '999999')
    .replace(':file', `${'a'.repeat(43)}.ics`);
}

async function clientFor(who: Who): Promise<Client> {
  if (who !== 'anonymous') return signedIn(world.app, who);
  const client = new Client(world.app);
  client.csrf = hiddenValue(await (await client.get('/signin')).text(), '_csrf');
  return client;
}

/** The way back to 編集中 from each state, and forward from it to each. */
const BACK: Record<WorkflowState, WorkflowState[]> = { editing: [], submitted: ['editing'], approved: ['editing'], published: ['approved', 'editing'] };
const FORWARD: Record<WorkflowState, WorkflowState[]> = { editing: [], submitted: ['submitted'], approved: ['submitted', 'approved'], published: ['submitted', 'approved', 'published'] };

/** Moves the draft to `state` through the store, so each role meets the plan in the same state. */
async function putDraftIn(state: WorkflowState): Promise<void> {
  const current = (await world.store.getPlan(world.draftPlanId))!.workflowState;
  for (const to of [...BACK[current], ...FORWARD[state]]) {
    const plan = (await world.store.getPlan(world.draftPlanId))!;
    await world.store.setWorkflowState({ planId: plan.id, basedOnRevision: plan.currentRevision, to, actor: 'test' });
  }
  expect((await world.store.getPlan(world.draftPlanId))!.workflowState).toBe(state);
}

/** Puts the draft back in "editing" after a permitted workflow step, so every role meets the same state. */
async function restore(): Promise<void> {
  await putDraftIn('editing');
}

// The same table on each engine: a permission must not depend on the database behind it.
describeEachEngine('authorization', (engine) => {
  beforeAll(async () => {
    counter = 0; // numbers in the bodies (new fiscal years, user names) start afresh with each engine's fresh store
    world = await createWorld({}, engine);
    targetUserId = (await world.store.createUser({ username: 'target', displayName: '対象', passwordHash: 'x', role: 'planner' })).id;
  });
  afterAll(() => world.close());

  it('has a row in the table for every registered route, and no row for a route that does not exist', () => {
    const routes = registeredRoutes();
    expect(routes.filter((r) => !(r in TABLE)), 'routes without a row').toEqual([]);
    expect(Object.keys(TABLE).filter((r) => !routes.includes(r)), 'rows without a route').toEqual([]);
  });

  for (const [route, row] of Object.entries(TABLE)) {
    it(`${route}: answers each role as the table says`, async () => {
      const [method, path] = route.split(' ') as [string, string];
      const actual: Partial<Expect> = {};
      for (const who of ROLES) {
        const client = await clientFor(who);
        const url = concrete(path);
        const res = method === 'GET' ? await client.get(url) : await client.post(url, await (row.body?.(world, ++counter) ?? {}));
        actual[who] = res.status;
        await restore();
      }
      expect(actual).toEqual(row.expect);
    });
  }

  it('has a row in the workflow table for every step of the workflow', () => {
    const rows = new Set(WORKFLOW_TABLE.map((r) => `${r.from}→${r.to}`));
    expect(TRANSITIONS.filter((t) => !rows.has(`${t.from}→${t.to}`)).map((t) => t.label), 'steps without a row').toEqual([]);
    const taken = new Set(WORKFLOW_TABLE.flatMap((r) => Object.values(r.expect)).map((e) => e.split(' ')[1]));
    expect(TRANSITIONS.filter((t) => !taken.has(t.label)).map((t) => t.label), 'steps no role takes').toEqual([]);
  });

  for (const row of WORKFLOW_TABLE) {
    it(`POST /staff/plans/:planId/workflow from ${WORKFLOW_STATE_LABELS[row.from]} to ${WORKFLOW_STATE_LABELS[row.to]}: answers each role as the table says`, async () => {
      const actual: Partial<Record<Who, string>> = {};
      for (const who of ROLES) {
        await putDraftIn(row.from);
        const client = await clientFor(who);
        const before = (await world.store.listAudit({ planId: world.draftPlanId, action: 'plan.workflow' })).length;
        const revision = (await world.store.getPlan(world.draftPlanId))!.currentRevision;
        const res = await client.post(`/staff/plans/${world.draftPlanId}/workflow`, { to: row.to, _revision: String(revision) });
        const steps = (await world.store.listAudit({ planId: world.draftPlanId, action: 'plan.workflow' })).slice(before);
        const state = (await world.store.getPlan(world.draftPlanId))!.workflowState;
        // A 303 must have taken exactly one step, to the state asked for; anything else must have taken none.
        if (res.status === 303) {
          expect(steps, who).toHaveLength(1);
          expect(state, who).toBe(row.to);
          const action = (steps[0]!.detail as { action: string }).action;
          actual[who] = `303 ${TRANSITIONS.find((t) => t.action === action)!.label}`;
        } else {
          expect(steps, who).toEqual([]);
          expect(state, who).toBe(row.from);
          actual[who] = String(res.status);
        }
      }
      await restore();
      expect(actual).toEqual(row.expect);
    });
  }

  it('writes every refusal to the audit log: who, what, which plan, from where', async () => {
    const before = (await world.store.listAudit({ action: 'permission.denied' })).length;
    const kita = await signedIn(world.app, 'kitaeditor');
    expect((await kita.get(`/staff/plans/${world.draftPlanId}/edit`)).status).toBe(403);
    expect((await kita.post(`/staff/plans/${world.draftPlanId}/workflow`, { to: 'submitted', _revision: '1' })).status).toBe(403);
    expect((await kita.get('/admin')).status).toBe(403);
    const denied = (await world.store.listAudit({ action: 'permission.denied' })).slice(before);
    expect(denied).toMatchObject([
      { actor: 'kitaeditor', planId: world.draftPlanId, organizationId: world.nishiId, item: `GET /staff/plans/${world.draftPlanId}/edit` },
      { actor: 'kitaeditor', planId: world.draftPlanId, item: `POST /staff/plans/${world.draftPlanId}/workflow` },
      { actor: 'kitaeditor', planId: null, item: 'GET /admin' },
    ]);
    expect(denied.every((e) => typeof e.ip === 'string' && e.ip !== '')).toBe(true);
  });

  it('never shows a plan of another ward, even by guessing its number', async () => {
    const kita = await signedIn(world.app, 'kitaeditor');
    const html = await (await kita.get(`/staff/plans/${world.draftPlanId}`)).text();
    expect(html).not.toContain('非公開の下書き');
    expect(html).toContain('権限がありません');
  });
});
