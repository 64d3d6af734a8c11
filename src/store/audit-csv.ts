/** The audit log as CSV (RFC 4180, CRLF, UTF-8 with BOM so Excel reads the Japanese). */
import type { AuditEntry, Organization, PlanSummary, Store } from './store.ts';

const HEADER = ['id', '日時', '実行者', '操作', '計画ID', '組織ID', '組織スラッグ', '組織名', '年度', '項目', '内容', 'IPアドレス'];

/**
 * What the ids in the log stand for. A reader of the CSV has no database to look 17 up in, so
 * each row also names its organization (slug, and name with its city, since 西区 alone is
 * several wards) and its plan's fiscal year.
 */
export interface AuditCsvContext {
  organizations: readonly Organization[];
  plans: readonly PlanSummary[];
}

/** The organizations and plans the log's ids refer to, read from the store. */
export async function loadAuditCsvContext(store: Pick<Store, 'listOrganizations' | 'listPlans'>): Promise<AuditCsvContext> {
  const [organizations, plans] = await Promise.all([store.listOrganizations(), store.listPlans()]);
  return { organizations, plans };
}

export function auditToCsv(entries: readonly AuditEntry[], context: AuditCsvContext): string {
  const orgs = new Map(context.organizations.map((o) => [o.id, o]));
  const plans = new Map(context.plans.map((p) => [p.id, p]));
  const rows = entries.map((e) => {
    const plan = e.planId === null ? undefined : plans.get(e.planId);
    // Some entries (a refusal on a plan page) carry the plan but not its organization.
    const org = orgs.get(e.organizationId ?? plan?.organizationId ?? NaN);
    const city = org?.parentId == null ? undefined : orgs.get(org.parentId);
    return [
      String(e.id),
      e.at.toISOString(),
      e.actor,
      e.action,
      e.planId === null ? '' : String(e.planId),
      e.organizationId === null ? '' : String(e.organizationId),
      org?.slug ?? '',
      org === undefined ? '' : `${city?.name ?? ''}${org.name}`,
      plan === undefined ? '' : String(plan.fiscalYear),
      e.item ?? '',
      e.detail === null || e.detail === undefined ? '' : JSON.stringify(e.detail),
      e.ip ?? '',
    ];
  });
  return `\uFEFF${[HEADER, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

function csvField(value: string): string {
  // A leading = + - @ would run as a formula in a spreadsheet: quote it behind an apostrophe.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}
