import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildPlan } from '../support/build-plan.ts';
import { defaultCheckSchedule } from '../../src/domain/pdca/check-schedule.ts';
import { backupStore, restoreStore, RestoreRefusedError } from '../../src/store/backup.ts';
import { createTestDatabase, createTestStore, testEngines, type Engine, type SqlStore } from '../../src/store/index.ts';
import { LATEST_SCHEMA_VERSION, SAME_TABLES_SINCE } from '../../src/store/migrations.ts';
import { describeEachEngine } from './engines.ts';

const CHILD = fileURLToPath(new URL('./bulk-import-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function fill(store: SqlStore): Promise<void> {
  const nishi = (await store.findOrganization('nishi'))!;
  const { planId } = await store.savePlan({ organizationId: nishi.id, fiscalYear: 2017, plan: buildPlan(), basedOnRevision: null, author: 'a', message: 'first' });
  await store.savePlan({ organizationId: nishi.id, fiscalYear: 2017, plan: buildPlan({ goal: '改訂' }), basedOnRevision: 1, author: 'b', message: 'second' });
  await store.publishRevision({ planId, revision: 2, actor: 'boss' });
  await store.addComment({ planId, author: 'planner', body: 'コメント' });
  const u = await store.createUser({ username: 'u1', displayName: 'ユーザー', passwordHash: 'h', role: 'editor', organizationId: nishi.id });
  await store.createSession({ id: 's1', userId: u.id, csrfToken: 'c', expiresAt: new Date(Date.now() + 3600_000) });
  await store.recordLoginAttempt({ username: 'u1', ip: '192.0.2.9', success: false });
  const sakai = await store.createOrganization({ kind: 'city', name: '堺市', kana: 'さかいし', slug: 'sakai', code: '271403' });
  // The Check's tables (version 4).
  await store.addMeasurements({ planId, author: 'm', measurements: [{ indicatorId: 'i1', date: '2017-06-30', value: 32.5, note: '備考' }, { indicatorId: 'i1', date: '2017-09-30', value: 34.1 }] });
  await store.setCheckSchedule({ planId, schedule: { ...defaultCheckSchedule(2017), measurementFrequency: 'quarterly' }, actor: 'boss' });
  await store.saveRatingScale({ organizationId: sakai.id, name: 'sakai', options: [{ code: 'S', label: 'すばらしい', best: true }, { code: 'A', label: 'よい' }], actor: 'admin' });
  calendarToken = await store.calendarToken(u.id);
}

let calendarToken = '';

async function snapshot(store: SqlStore) {
  const plans = await store.listPlans();
  return {
    orgs: (await store.listOrganizations()).map((o) => [o.id, o.slug, o.code, o.parentId]),
    plans: plans.map((p) => [p.id, p.organizationSlug, p.fiscalYear, p.workflowState, p.currentRevision, p.publishedRevision]),
    revisions: await Promise.all(plans.map(async (p) => (await store.listRevisions(p.id)).map((r) => [r.number, r.author, r.message]))),
    bodies: await Promise.all(plans.map(async (p) => (await store.getRevision(p.id))?.plan)),
    comments: await Promise.all(plans.map((p) => store.listComments(p.id))),
    audit: (await store.listAudit()).map((e) => [e.id, e.action, e.actor, e.detail]),
    users: await store.listUsers(),
    session: await store.getSession('s1'),
    failed: await store.countFailedLogins({ username: 'u1', since: new Date(0) }),
    measurements: await Promise.all(plans.map((p) => store.listMeasurements(p.id))),
    schedules: await Promise.all(plans.map((p) => store.getCheckSchedule(p.id))),
    scales: await Promise.all((await store.listOrganizations({ kind: 'city' })).map((o) => store.listRatingScales(o.id))),
    calendarUser: (await store.userByCalendarToken(calendarToken))?.username,
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hoshin-backup-test-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describeEachEngine('backup and restore', (engine) => {
  const opened: SqlStore[] = [];
  const open = async (e: Engine = engine) => {
    const s = await createTestStore(e);
    opened.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });

  it('restores everything into an empty database of every engine, and the store goes on from there', async () => {
    const source = await open();
    await fill(source);
    const file = join(dir, engine === 'sqlite' ? 'b.sqlite' : 'b.jsonl');
    const made = await backupStore(source, file);
    expect(made.counts).toMatchObject({ plans: 1, revisions: 2, comments: 1, users: 1, sessions: 1, measurements: 2, check_schedules: 1, rating_scales: 5, calendar_tokens: 1 });
    await expect(backupStore(source, file)).rejects.toThrow(/すでに存在/);
    const expected = await snapshot(source);
    for (const targetEngine of testEngines()) {
      const target = await open(targetEngine);
      await restoreStore(target, file);
      expect(await snapshot(target)).toEqual(expected);
      expect(await target.integrityCheck()).toEqual([]);
      // Ids continue after the restored ones.
      const c = await target.addComment({ planId: 1, author: 'x', body: 'after restore' });
      expect(c.id).toBe(2);
      const [m] = await target.addMeasurements({ planId: 1, author: 'x', measurements: [{ indicatorId: 'i1', date: '2017-12-31', value: 1 }] });
      expect(m!.id).toBe(3);
    }
  });

  it('refuses to overwrite a database holding data unless forced', async () => {
    const source = await open();
    await fill(source);
    const file = join(dir, 'b');
    await backupStore(source, file);
    const target = await open();
    await target.createUser({ username: 'someone', displayName: 'x', passwordHash: 'h', role: 'admin' });
    await target.appendAudit({ actor: 'x', action: 'login.failed' });
    await expect(restoreStore(target, file)).rejects.toBeInstanceOf(RestoreRefusedError);
    expect((await target.listUsers()).map((u) => u.username)).toEqual(['someone']);
    await restoreStore(target, file, { force: true });
    expect((await target.listUsers()).map((u) => u.username)).toEqual(['u1']);
    expect(await snapshot(target)).toEqual(await snapshot(source));
  });

  it('restores nothing from a truncated or foreign file', async () => {
    const target = await open();
    const notBackup = join(dir, 'x.txt');
    writeFileSync(notBackup, 'hello\n');
    await expect(restoreStore(target, notBackup)).rejects.toBeInstanceOf(RestoreRefusedError);
    const source = await open();
    await fill(source);
    const full = join(dir, 'full');
    await backupStore(source, full);
    if (readFileSync(full).subarray(0, 6).toString() !== 'SQLite') {
      const lines = readFileSync(full, 'utf8').trimEnd().split('\n');
      const cut = join(dir, 'cut.jsonl');
      writeFileSync(cut, `${lines.slice(0, -2).join('\n')}\n`);
      await expect(restoreStore(target, cut)).rejects.toThrow(/途中で切れて/);
      expect(await target.listPlans()).toEqual([]);
    }
  });

  // JSON lines are what PostgreSQL backs up to: the case exists for that engine only (defined, not skipped, so a run counts no skip).
  if (engine === 'postgres') it('restores a JSON-lines backup of an older schema with the same tables, and refuses one from before them or from a newer Hoshin', async () => {
    const source = await open();
    await fill(source);
    const file = join(dir, 'b.jsonl');
    await backupStore(source, file);
    const [header, ...rest] = readFileSync(file, 'utf8').split('\n');
    const withVersion = (v: number) => {
      const f = join(dir, `v${v}.jsonl`);
      writeFileSync(f, [JSON.stringify({ ...JSON.parse(header!), schemaVersion: v }), ...rest].join('\n'));
      return f;
    };
    const target = await open();
    await restoreStore(target, withVersion(SAME_TABLES_SINCE));
    expect(await snapshot(target)).toEqual(await snapshot(source));
    await expect(restoreStore(target, withVersion(SAME_TABLES_SINCE - 1), { force: true })).rejects.toBeInstanceOf(RestoreRefusedError);
    await expect(restoreStore(target, withVersion(LATEST_SCHEMA_VERSION + 1), { force: true })).rejects.toBeInstanceOf(RestoreRefusedError);
  });

  it('takes a consistent backup while another process is writing', { timeout: 120_000 }, async () => {
    const db = await createTestDatabase(engine);
    opened.push(db.store);
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, db.url], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
    const plansStored = async () => (await db.store.listPlans()).length;
    const waitFor = async (n: number) => {
      for (let t = 0; (await plansStored()) < n; t++) {
        if (t > 600) throw new Error('the importing child made no progress');
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await waitFor(20);
    const file = join(dir, 'during');
    const made = await backupStore(db.store, file);
    await waitFor(made.counts.plans + 20);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(made.counts.plans).toBeGreaterThan(0);
    // The import went on after the backup, so the backup is a snapshot of a moment, not the end.
    expect((await db.store.listPlans()).length).toBeGreaterThan(made.counts.plans);

    const target = await open();
    await restoreStore(target, file);
    expect(await target.integrityCheck()).toEqual([]);
    expect((await target.listPlans()).length).toBe(made.counts.plans);
  });
});
