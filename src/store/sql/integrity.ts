/** The store's own consistency checks, beyond the engine's: revision chains, their audit entries, publication. */
import { sql } from 'kysely';
import { AUDIT } from './audit.ts';
import { isIsoDate } from '../../domain/pdca/plan-rules.ts';
import type { SqlContext } from './context.ts';

export async function integrityCheck(ctx: SqlContext): Promise<string[]> {
  const db = ctx.kysely;
  const problems = await ctx.adapter.checkIntegrity(db);
  // Every plan has exactly its revisions 1..current, each with its audit entry.
  const chains = await sql<{ id: number; current_revision: number; n: number | string; mn: number | null; mx: number | null }>`
    select p.id, p.current_revision, count(r.number) as n, min(r.number) as mn, max(r.number) as mx
    from plans p left join revisions r on r.plan_id = p.id
    group by p.id, p.current_revision
    having count(r.number) <> p.current_revision or min(r.number) <> 1 or max(r.number) <> p.current_revision`.execute(db);
  for (const r of chains.rows) problems.push(`plan ${r.id}: current revision ${r.current_revision} but ${Number(r.n)} revisions (${r.mn ?? '-'}..${r.mx ?? '-'})`);
  const orphans = await sql<{ plan_id: number }>`select distinct r.plan_id from revisions r left join plans p on p.id = r.plan_id where p.id is null`.execute(db);
  for (const r of orphans.rows) problems.push(`revisions of missing plan ${r.plan_id}`);
  const audits = await sql<{ id: number; current_revision: number; n: number | string }>`
    select p.id, p.current_revision, (select count(*) from audit_log a where a.plan_id = p.id and a.action in (${AUDIT.planCreate}, ${AUDIT.planSave})) as n
    from plans p`.execute(db);
  for (const r of audits.rows) if (Number(r.n) !== r.current_revision) problems.push(`plan ${r.id}: ${r.current_revision} revisions but ${Number(r.n)} save entries in the audit log`);
  const published = await sql<{ id: number }>`select id from plans where published_revision is not null and (published_revision < 1 or published_revision > current_revision)`.execute(db);
  for (const r of published.rows) problems.push(`plan ${r.id}: published revision out of range`);
  problems.push(...(await checkTables(ctx)));
  return problems;
}

/** The Check's tables (version 4): rows of missing owners (SQLite keeps them when foreign keys were off), and JSON that does not read. */
async function checkTables(ctx: SqlContext): Promise<string[]> {
  const db = ctx.kysely;
  const problems: string[] = [];
  const orphans = [
    ['measurements', 'plan_id', 'plans'],
    ['check_schedules', 'plan_id', 'plans'],
    ['rating_scales', 'organization_id', 'organizations'],
    ['calendar_tokens', 'user_id', 'users'],
  ] as const;
  for (const [table, column, parent] of orphans) {
    const r = await sql<{ owner: number }>`select distinct t.${sql.ref(column)} as owner from ${sql.table(table)} t left join ${sql.table(parent)} p on p.id = t.${sql.ref(column)} where p.id is null`.execute(db);
    for (const row of r.rows) problems.push(`${table} of missing ${parent.slice(0, -1)} ${row.owner}`);
  }
  const bad = await db.selectFrom('measurements').select(['id', 'plan_id', 'date', 'value']).execute();
  for (const m of bad) {
    if (!isIsoDate(m.date) || !Number.isFinite(Number(m.value))) problems.push(`measurement ${m.id} of plan ${m.plan_id}: date ${m.date} or value ${m.value} unreadable`);
  }
  for (const r of await db.selectFrom('check_schedules').select(['plan_id', 'schedule']).execute()) {
    if (!readsAsObject(r.schedule)) problems.push(`check schedule of plan ${r.plan_id}: unreadable JSON`);
  }
  for (const r of await db.selectFrom('rating_scales').select(['organization_id', 'name', 'options']).execute()) {
    if (!readsAsArray(r.options)) problems.push(`rating scale ${r.name} of organization ${r.organization_id}: unreadable JSON`);
  }
  const tokens = await db.selectFrom('calendar_tokens').select(['user_id', 'token_hash']).execute();
  for (const t of tokens) if (!/^[0-9a-f]{64}$/.test(t.token_hash)) problems.push(`calendar token of user ${t.user_id}: not a SHA-256 hash`);
  return problems;
}

function readsAs(text: string, test: (v: unknown) => boolean): boolean {
  try {
    return test(JSON.parse(text));
  } catch {
    return false;
  }
}
const readsAsObject = (text: string) => readsAs(text, (v) => typeof v === 'object' && v !== null && !Array.isArray(v));
const readsAsArray = (text: string) => readsAs(text, Array.isArray);
