/** The store's own consistency checks, beyond the engine's: revision chains, their audit entries, publication. */
import { sql } from 'kysely';
import { AUDIT } from './audit.ts';
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
  return problems;
}
