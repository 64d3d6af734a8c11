/**
 * docs/deploy.md's PostgreSQL roles, tried: migrations as an owner role, the application as
 * a role that owns nothing. The application works, and cannot empty or rewrite the audit
 * log, nor lift its triggers.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { defaultCheckSchedule } from '../../src/domain/pdca/check-schedule.ts';
import { buildPlan } from '../support/build-plan.ts';
import { openStore, type SqlStore } from '../../src/store/index.ts';

const base = process.env.HOSHIN_TEST_PG_URL;

/** The grants of docs/deploy.md (there: schema hoshin, role hoshin_app). */
const grants = (schema: string, app: string) => `
GRANT USAGE ON SCHEMA ${schema} TO ${app};
GRANT SELECT ON hoshin_schema TO ${app};
GRANT SELECT, INSERT ON organizations, revisions, comments, audit_log TO ${app};
GRANT SELECT, INSERT, UPDATE ON plans, login_attempts, check_schedules, rating_scales, calendar_tokens TO ${app};
GRANT SELECT, INSERT, UPDATE, DELETE ON users TO ${app};
GRANT SELECT, INSERT, DELETE ON sessions, measurements TO ${app};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${app};
`;

const MISSING = 'HOSHIN_TEST_PG_URL is not set: the PostgreSQL role test was NOT run. Start one with: eval "$(scripts/pg-test.sh start)"';
if (!base && process.env.CI === 'true') {
  describe('PostgreSQL: the application as a role that owns nothing', () => {
    it('needs PostgreSQL in CI', () => {
      throw new Error(MISSING);
    });
  });
} else if (!base) {
  console.warn(`\n⚠ ${MISSING}\n`);
}

describe.skipIf(!base)('PostgreSQL: the application as a role that owns nothing', () => {
  const id = randomBytes(4).toString('hex');
  const schema = `hoshin_roles_${id}`;
  const owner = `hoshin_owner_${id}`;
  const app = `hoshin_app_${id}`;
  const urlFor = (role: string) => {
    const u = new URL(base!);
    u.username = role;
    u.password = 'test-password';
    u.searchParams.set('schema', schema);
    return u.toString();
  };
  const admin = async (statements: string) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      await client.query(statements);
    } finally {
      await client.end();
    }
  };
  let store: SqlStore;

  beforeAll(async () => {
    await admin(`
      CREATE ROLE ${owner} LOGIN PASSWORD 'test-password';
      CREATE ROLE ${app} LOGIN PASSWORD 'test-password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
      CREATE SCHEMA ${schema} AUTHORIZATION ${owner};`);
    const migrated = await openStore(urlFor(owner));
    await migrated.close();
    const client = new pg.Client({ connectionString: urlFor(owner).replace(/[?&]schema=[^&]*/, '') });
    await client.connect();
    try {
      await client.query(`SET search_path = ${schema}; ${grants(schema, app)}`);
    } finally {
      await client.end();
    }
    store = await openStore(urlFor(app));
  });
  afterAll(async () => {
    await store?.close();
    await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP OWNED BY ${app}; DROP ROLE IF EXISTS ${app}; DROP OWNED BY ${owner}; DROP ROLE IF EXISTS ${owner};`);
  });

  it('opens (nothing to migrate), and does everything the application does', async () => {
    const nishi = (await store.findOrganization('nishi'))!;
    const { planId } = await store.savePlan({ organizationId: nishi.id, fiscalYear: 2017, plan: buildPlan(), basedOnRevision: null, author: 'e', message: '' });
    for (const to of ['submitted', 'approved', 'published'] as const) await store.setWorkflowState({ planId, basedOnRevision: 1, to, actor: 'a' });
    await store.setWorkflowState({ planId, basedOnRevision: 1, to: 'approved', action: 'unpublish', actor: 'a' });
    await store.addComment({ planId, author: 'p', body: 'x' });
    await store.createOrganization({ kind: 'ward', name: '新区', kana: '', slug: `shin-${id}` });
    const user = await store.createUser({ username: 'u', displayName: 'u', passwordHash: 'h', role: 'editor' });
    await store.updateUser(user.id, { displayName: 'v' });
    await store.createSession({ id: 's', userId: user.id, csrfToken: 'c', expiresAt: new Date(Date.now() + 60_000) });
    await store.deleteExpiredSessions();
    const r = await store.beginLoginAttempt({ username: 'u', ip: '192.0.2.1', since: new Date(0), maxPerUser: 5, maxPerIp: 20 });
    if (r.allowed) await store.finishLoginAttempt(r.attemptId, true);
    await store.appendAudit({ actor: 'anonymous', action: 'login.failed', item: 'u' });
    // The Check: measurements, schedules, scales, calendar tokens.
    const [m] = await store.addMeasurements({ planId, author: 'e', measurements: [{ indicatorId: 'i', date: '2017-06-30', value: 1.5 }] });
    await store.deleteMeasurement({ planId, id: m!.id, actor: 'e' });
    await store.setCheckSchedule({ planId, schedule: defaultCheckSchedule(2017), actor: 'a' });
    await store.setCheckSchedule({ planId, schedule: defaultCheckSchedule(2017), actor: 'a' });
    const osaka = (await store.findOrganization('osaka'))!;
    await store.saveRatingScale({ organizationId: osaka.id, name: 'mine', options: [{ code: 'A', label: 'a', best: true }], actor: 'a' });
    await store.saveRatingScale({ organizationId: osaka.id, name: 'mine', options: [{ code: 'B', label: 'b' }], actor: 'a' });
    const token = await store.calendarToken(user.id);
    await store.calendarToken(user.id, true);
    expect(await store.userByCalendarToken(token)).toBeUndefined();
    await store.deleteUser(user.id);
    expect(await store.integrityCheck()).toEqual([]);
  });

  it('cannot empty, rewrite or unprotect the audit log', async () => {
    const before = await store.listAudit();
    expect(before.length).toBeGreaterThan(0);
    for (const statement of [
      sql`truncate audit_log`,
      sql`update audit_log set actor = 'x'`,
      sql`delete from audit_log`,
      sql`alter table audit_log disable trigger audit_log_no_change`,
      sql`drop trigger audit_log_no_truncate on audit_log`,
      sql`drop table audit_log`,
    ]) {
      await expect(statement.execute(store.kysely)).rejects.toThrow(/permission denied|must be owner/);
    }
    expect(await store.listAudit()).toEqual(before);
  });
});
