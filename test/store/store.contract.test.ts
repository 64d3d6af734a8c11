/** The store contract, the same on every engine. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildPlan } from '../support/build-plan.ts';
import {
  ConflictError,
  DuplicateError,
  NotFoundError,
  WorkflowError,
  createTestStore,
  type Organization,
  type SqlStore,
} from '../../src/store/index.ts';
import { isValidLocalGovernmentCode } from '../../src/store/local-government-code.ts';
import { auditToCsv, loadAuditCsvContext } from '../../src/store/audit-csv.ts';
import { describeEachEngine } from './engines.ts';

describeEachEngine('store contract', (engine) => {
  let store: SqlStore;
  let nishi: Organization;
  const save = (goal: string, basedOnRevision: number | null, author = 'editor1') =>
    store.savePlan({ organizationId: nishi.id, fiscalYear: 2017, plan: buildPlan({ goal }), basedOnRevision, author, message: `goal ${goal}` });

  beforeEach(async () => {
    store = await createTestStore(engine);
    nishi = (await store.findOrganization('nishi'))!;
  });
  afterEach(async () => {
    await store.close();
  });

  it('ships Osaka City and its 24 wards with valid codes', async () => {
    const osaka = (await store.findOrganization('osaka'))!;
    expect(osaka).toMatchObject({ name: '大阪市', code: '271004', kind: 'city', parentId: null });
    const wards = await store.listOrganizations({ parentId: osaka.id });
    expect(wards).toHaveLength(24);
    for (const w of wards) expect(isValidLocalGovernmentCode(w.code!), `${w.name} ${w.code}`).toBe(true);
    expect(wards.map((w) => w.slug)).toEqual(expect.arrayContaining(['kita', 'miyakojima', 'chuo', 'nishi', 'minato', 'ikuno']));
  });

  it('finds an organization by slug, name, six- or five-digit code', async () => {
    expect((await store.findOrganization('kita'))?.name).toBe('北区');
    expect((await store.findOrganization('北区'))?.slug).toBe('kita');
    expect((await store.findOrganization('271276'))?.slug).toBe('kita');
    expect((await store.findOrganization('27127'))?.slug).toBe('kita');
    expect(await store.findOrganization('nowhere')).toBeUndefined();
  });

  it('resolves a ward within its city: 西区 of Osaka is not 西区 of Sakai', async () => {
    const osaka = (await store.findOrganization('osaka'))!;
    const sakai = await store.createOrganization({ kind: 'city', name: '堺市', kana: 'さかいし', slug: 'sakai', code: '271403' });
    const sakaiNishi = await store.createOrganization({ kind: 'ward', name: '西区', kana: 'にしく', slug: 'sakai-nishi', code: '271446', parentId: sakai.id });
    expect((await store.findWard(osaka.id, '西区'))?.id).toBe(nishi.id);
    expect((await store.findWard(sakai.id, '西区'))?.id).toBe(sakaiNishi.id);
    expect(await store.findWard(sakai.id, '都島区')).toBeUndefined();
    await expect(store.createOrganization({ kind: 'ward', name: '北区', kana: '', slug: 'kita' })).rejects.toBeInstanceOf(DuplicateError);
  });

  it('keeps every save as an immutable revision with author and message', async () => {
    const r1 = await save('A', null);
    const r2 = await save('B', 1, 'editor2');
    expect([r1.number, r2.number]).toEqual([1, 2]);
    expect((await store.getRevision(r1.planId, 1))?.plan.goal).toBe('A');
    expect((await store.getRevision(r1.planId))?.plan.goal).toBe('B');
    const metas = await store.listRevisions(r1.planId);
    expect(metas.map((m) => [m.number, m.author, m.message])).toEqual([
      [1, 'editor1', 'goal A'],
      [2, 'editor2', 'goal B'],
    ]);
    expect(await store.getRevision(r1.planId, 3)).toBeUndefined();
    const summary = (await store.findPlan(nishi.id, 2017))!;
    expect(summary).toMatchObject({ currentRevision: 2, workflowState: 'editing', documentStatus: 'draft', organizationSlug: 'nishi' });
  });

  it('refuses a write based on a stale revision, saying what changed since', async () => {
    await save('A', null);
    await save('B', 1, 'alice');
    const stale = save('C', 1, 'bob');
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    const e = (await stale.catch((x: unknown) => x)) as ConflictError;
    expect(e.currentRevision).toBe(2);
    expect(e.since.map((r) => [r.number, r.author])).toEqual([[2, 'alice']]);
    expect(e.changes).toEqual([{ path: 'goal', kind: 'changed', before: 'A', after: 'B' }]);
    expect((await store.getRevision(e.planId))?.plan.goal).toBe('B');
    // Creating a plan that exists is a conflict too.
    await expect(save('D', null)).rejects.toBeInstanceOf(ConflictError);
    await expect(store.savePlan({ organizationId: nishi.id, fiscalYear: 2018, plan: buildPlan({ fiscalYear: 2018 }), basedOnRevision: 1, author: 'x', message: '' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.savePlan({ organizationId: nishi.id, fiscalYear: 2018, plan: buildPlan(), basedOnRevision: null, author: 'x', message: '' })).rejects.toThrow(/年度/);
  });

  it('diffs any two revisions by field path', async () => {
    const r1 = await save('A', null);
    const changed = buildPlan({ goal: 'A' });
    changed.issues[0]!.strategies[0]!.initiatives[0]!.budgetThousandYen = 23000;
    await store.savePlan({ organizationId: nishi.id, fiscalYear: 2017, plan: changed, basedOnRevision: 1, author: 'x', message: '' });
    expect(await store.diffRevisions(r1.planId, 1, 2)).toEqual([
      { path: 'issues[0].strategies[0].initiatives[0].budgetThousandYen', kind: 'changed', before: 22268, after: 23000 },
    ]);
    await expect(store.diffRevisions(r1.planId, 1, 9)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('moves along the workflow table only, checking the based-on revision', async () => {
    const { planId } = await save('A', null);
    await expect(store.setWorkflowState({ planId, basedOnRevision: 1, to: 'approved', actor: 'boss' })).rejects.toBeInstanceOf(WorkflowError);
    await store.setWorkflowState({ planId, basedOnRevision: 1, to: 'submitted', actor: 'editor1' });
    await save('B', 1); // an edit while under review: back to editing
    expect((await store.getPlan(planId))?.workflowState).toBe('editing');
    await expect(store.setWorkflowState({ planId, basedOnRevision: 1, to: 'submitted', actor: 'editor1' })).rejects.toBeInstanceOf(ConflictError);
    await store.setWorkflowState({ planId, basedOnRevision: 2, to: 'submitted', actor: 'editor1' });
    await store.setWorkflowState({ planId, basedOnRevision: 2, to: 'approved', actor: 'boss' });
    expect(await store.getPublishedPlan('nishi', 2017)).toBeUndefined();
    const published = await store.setWorkflowState({ planId, basedOnRevision: 2, to: 'published', actor: 'boss' });
    expect(published).toMatchObject({ workflowState: 'published', publishedRevision: 2 });
    expect((await store.getPublishedPlan('nishi', 2017))?.revision.plan.goal).toBe('B');
    expect((await store.listPublishedPlans()).map((p) => p.id)).toEqual([planId]);

    // A new edit does not change what the public sees until it is published.
    await save('C', 2);
    expect((await store.getPlan(planId))).toMatchObject({ workflowState: 'editing', publishedRevision: 2, currentRevision: 3 });
    expect((await store.getPublishedPlan('nishi', 2017))?.revision.plan.goal).toBe('B');
    await store.publishRevision({ planId, revision: 3, actor: 'admin' });
    expect((await store.getPlan(planId))).toMatchObject({ workflowState: 'published', publishedRevision: 3 });
    await store.setWorkflowState({ planId, basedOnRevision: 3, to: 'approved', actor: 'boss' }); // unpublish
    expect(await store.getPublishedPlan('nishi', 2017)).toBeUndefined();
  });

  it('lists each plan with the 案/確定 of its published revision, which may differ from the newest', async () => {
    const { planId } = await save('A', null);
    expect(await store.getPlan(planId)).toMatchObject({ documentStatus: 'draft', publishedDocumentStatus: null });
    expect(await store.publishRevision({ planId, revision: 1, actor: 'admin' })).toMatchObject({ publishedDocumentStatus: 'draft' });
    await store.savePlan({ organizationId: nishi.id, fiscalYear: 2017, plan: buildPlan({ goal: 'B', documentStatus: 'final' }), basedOnRevision: 1, author: 'editor1', message: 'final' });
    expect(await store.listPublishedPlans()).toEqual([expect.objectContaining({ documentStatus: 'final', publishedRevision: 1, publishedDocumentStatus: 'draft' })]);
    expect(await store.publishRevision({ planId, revision: 2, actor: 'admin' })).toMatchObject({ publishedDocumentStatus: 'final' });
    expect(await store.publishRevision({ planId, revision: 1, actor: 'admin' })).toMatchObject({ publishedDocumentStatus: 'draft' });
    expect(await store.setWorkflowState({ planId, basedOnRevision: 2, to: 'approved', actor: 'boss' })).toMatchObject({ publishedDocumentStatus: null }); // unpublish
    expect(await store.setWorkflowState({ planId, basedOnRevision: 2, to: 'published', actor: 'boss' })).toMatchObject({ publishedDocumentStatus: 'final' });
    await save('C', 2); // draft revision 3 while revision 2 (確定) stays public
    expect(await store.setWorkflowState({ planId, basedOnRevision: 3, to: 'submitted', actor: 'editor1' })).toMatchObject({ documentStatus: 'draft', publishedDocumentStatus: 'final' });
    expect(await store.getPlan(planId)).toMatchObject({ publishedRevision: 2, publishedDocumentStatus: 'final' });
  });

  it('audits every plan write in the same transaction, and the log is append-only', async () => {
    const { planId } = await save('A', null);
    await save('B', 1);
    await store.setWorkflowState({ planId, basedOnRevision: 2, to: 'submitted', actor: 'editor1' });
    await store.addComment({ planId, author: 'planner1', body: '目標の数値を確認してください' });
    await store.appendAudit({ actor: 'anonymous', action: 'login.failed', item: 'mallory', ip: '192.0.2.1' });
    await store.appendAudit({ actor: 'editor1', action: 'permission.denied', planId, detail: { to: 'approved' } });
    const log = await store.listAudit({ planId });
    expect(log.map((e) => e.action)).toEqual(['plan.create', 'plan.save', 'plan.workflow', 'plan.comment', 'permission.denied']);
    expect(log[1]!.detail).toMatchObject({ revision: 2, basedOn: 1, changes: [{ path: 'goal', before: 'A', after: 'B' }] });
    expect(log[1]!.item).toBe('区の目標');
    expect((await store.listAudit({ limit: 1 }))[0]!.action).toBe('permission.denied');
    expect((await store.listAudit({ action: 'login.failed' }))[0]).toMatchObject({ actor: 'anonymous', item: 'mallory', ip: '192.0.2.1' });
    await expect(sql`update audit_log set actor = 'x'`.execute(store.kysely)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(store.kysely)).rejects.toThrow(/append-only/);
    const csv = auditToCsv(log, await loadAuditCsvContext(store));
    expect(csv.split('\r\n')[0]).toBe('\uFEFFid,日時,実行者,操作,計画ID,組織ID,組織スラッグ,組織名,年度,項目,内容,IPアドレス');
    // Each row says which plan it is about in words, not only by id; a refusal carries only the plan.
    expect(csv.split('\r\n')[1]).toMatch(new RegExp(`^\\d+,[^,]+,editor1,plan\\.create,${planId},${nishi.id},nishi,大阪市西区,2017,,`));
    expect(csv.split('\r\n')[5]).toMatch(new RegExp(`,permission\\.denied,${planId},,nishi,大阪市西区,2017,`));
    expect(csv).toContain('plan.comment');
    expect(csv.split('\r\n')).toHaveLength(log.length + 2);
  });

  it('labels a save in the audit log by the plan’s own numbers, as the diff page does', async () => {
    const { planId } = await save('A', null);
    const plan = buildPlan({ goal: 'A' });
    plan.issues[1]!.strategies[1]!.initiatives[0]!.budgetThousandYen = 14000; // 2-4-2, the first initiative of the second strategy
    await store.savePlan({ organizationId: nishi.id, fiscalYear: 2017, plan, basedOnRevision: 1, author: 'editor1', message: '' });
    const entry = (await store.listAudit({ planId, action: 'plan.save' }))[0]!;
    expect(entry.item).toBe('経営課題2 › 戦略2-4 › 具体的取組2-4-2 › 予算額(千円)');
    expect(entry.detail).toMatchObject({ changes: [{ path: 'issues[1].strategies[1].initiatives[0].budgetThousandYen', label: '経営課題2 › 戦略2-4 › 具体的取組2-4-2 › 予算額(千円)' }] });
    expect(auditToCsv([entry], await loadAuditCsvContext(store))).toContain(',経営課題2 › 戦略2-4 › 具体的取組2-4-2 › 予算額(千円),');
  });

  it('lists plans filtered and paged', async () => {
    const wards = (await store.listOrganizations({ kind: 'ward' })).slice(0, 3);
    for (const w of wards) {
      for (const fy of [2017, 2018]) {
        const r = await store.savePlan({ organizationId: w.id, fiscalYear: fy, plan: buildPlan({ organization: w.name, fiscalYear: fy }), basedOnRevision: null, author: 'x', message: '' });
        if (fy === 2018) await store.publishRevision({ planId: r.planId, revision: 1, actor: 'x' });
      }
    }
    const all = await store.listPlans();
    expect(all.map((p) => [p.organizationId, p.fiscalYear])).toEqual(wards.flatMap((w) => [[w.id, 2017], [w.id, 2018]]));
    expect((await store.listPlans({ limit: 2, offset: 1 })).map((p) => p.id)).toEqual(all.slice(1, 3).map((p) => p.id));
    expect((await store.listPlans({ offset: 4 })).map((p) => p.id)).toEqual(all.slice(4).map((p) => p.id));
    expect((await store.listPlans({ fiscalYear: 2017 })).length).toBe(3);
    expect((await store.listPlans({ organizationId: wards[0]!.id })).length).toBe(2);
    expect((await store.listPlans({ workflowState: 'published' })).length).toBe(3);
    expect((await store.listPublishedPlans()).map((p) => p.fiscalYear)).toEqual([2018, 2018, 2018]);
    expect((await store.listPublishedPlans({ limit: 1, offset: 2 })).map((p) => p.organizationId)).toEqual([wards[2]!.id]);
  });

  it('keeps comments on a plan', async () => {
    const { planId } = await save('A', null);
    await store.addComment({ planId, author: 'planner1', body: '一つ目' });
    await store.addComment({ planId, author: 'planner2', body: '二つ目' });
    expect((await store.listComments(planId)).map((c) => [c.author, c.body])).toEqual([
      ['planner1', '一つ目'],
      ['planner2', '二つ目'],
    ]);
    await expect(store.addComment({ planId: 999, author: 'x', body: 'y' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps users, sessions (hashed ids) and failed logins', async () => {
    const u = await store.createUser({ username: 'tanaka', displayName: '田中', passwordHash: 'scrypt$x', role: 'editor', organizationId: nishi.id });
    await expect(store.createUser({ username: 'tanaka', displayName: '別人', passwordHash: 'y', role: 'planner' })).rejects.toBeInstanceOf(DuplicateError);
    expect(await store.getUserByUsername('tanaka')).toEqual(u);
    expect((await store.updateUser(u.id, { role: 'approver', displayName: '田中 一郎' })).role).toBe('approver');
    expect((await store.listUsers()).map((x) => x.username)).toEqual(['tanaka']);

    const now = new Date('2030-01-01T00:00:00Z');
    await store.createSession({ id: 'raw-session-id', userId: u.id, csrfToken: 'csrf1', expiresAt: new Date(now.getTime() + 3600_000) });
    await store.createSession({ id: 'old', userId: u.id, csrfToken: 'csrf2', expiresAt: new Date(now.getTime() - 1) });
    expect((await store.getSession('raw-session-id', now))).toMatchObject({ userId: u.id, csrfToken: 'csrf1' });
    expect(await store.getSession('old', now)).toBeUndefined();
    const ids = await store.kysely.selectFrom('sessions').select('id_hash').execute();
    expect(ids.map((r) => r.id_hash)).not.toContain('raw-session-id');
    expect(await store.deleteExpiredSessions(now)).toBe(1);
    await store.deleteSession('raw-session-id');
    expect(await store.getSession('raw-session-id', now)).toBeUndefined();

    const since = new Date(Date.now() - 60_000);
    await store.recordLoginAttempt({ username: 'tanaka', ip: '192.0.2.1', success: false });
    await store.recordLoginAttempt({ username: 'tanaka', ip: '192.0.2.2', success: false });
    await store.recordLoginAttempt({ username: 'tanaka', ip: '192.0.2.1', success: true });
    await store.recordLoginAttempt({ username: 'sato', ip: '192.0.2.1', success: false, at: new Date(Date.now() - 3600_000) });
    expect(await store.countFailedLogins({ username: 'tanaka', since })).toBe(2);
    expect(await store.countFailedLogins({ ip: '192.0.2.1', since })).toBe(1);
    expect(await store.countFailedLogins({ username: 'tanaka', ip: '192.0.2.2', since })).toBe(1);

    await store.deleteUser(u.id);
    expect(await store.getUser(u.id)).toBeUndefined();
  });

  it('stores all of a transaction or nothing', async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.savePlan({ organizationId: nishi.id, fiscalYear: 2017, plan: buildPlan(), basedOnRevision: null, author: 'x', message: '' });
        await tx.createOrganization({ kind: 'ward', name: '新区', kana: '', slug: 'shin' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.findPlan(nishi.id, 2017)).toBeUndefined();
    expect(await store.findOrganization('shin')).toBeUndefined();
    expect(await store.listAudit()).toEqual([]);
  });

  it('passes its integrity check, and notices a missing revision', async () => {
    await save('A', null);
    await save('B', 1);
    expect(await store.integrityCheck()).toEqual([]);
    await sql`delete from revisions where number = 1`.execute(store.kysely);
    expect((await store.integrityCheck()).join('\n')).toMatch(/current revision 2 but 1 revisions/);
  });
});
