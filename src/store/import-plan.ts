/**
 * Storing one parsed document: find its ward within the chosen city (a document names only
 * its ward, and 西区 exists in many cities), create the ward if unknown, and save a new
 * revision on top of whatever is there — all in one transaction.
 */
import { createHash } from 'node:crypto';
import type { Plan } from '../domain/plan.ts';
import { inheritItemIds } from '../domain/item-ids.ts';
import { diffPlans } from '../domain/plan-diff.ts';
import { DuplicateError, type Organization, type Store } from './store.ts';

export interface ImportInput {
  plan: Plan;
  city: Organization;
  publish: boolean;
  author: string;
  message: string;
}

export interface ImportResult {
  organization: Organization;
  organizationCreated: boolean;
  planId: number;
  revision: number;
  /** unchanged: the newest revision already holds exactly this plan; nothing new was written. */
  outcome: 'created' | 'updated' | 'unchanged';
  published: boolean;
  /** Japanese, for the user. */
  warnings: string[];
}

export async function importPlan(store: Store, input: ImportInput): Promise<ImportResult> {
  try {
    return await store.transaction((tx) => importInTransaction(tx, input));
  } catch (e) {
    // Two importers created the same new ward at once: the other one won; ours now finds it.
    if (e instanceof DuplicateError) return store.transaction((tx) => importInTransaction(tx, input));
    throw e;
  }
}

/** The ward's own name: a document titled 「大阪市西区運営方針」 names 西区 of 大阪市. */
function wardName(name: string, city: Organization): string {
  return name.startsWith(city.name) && name.length > city.name.length ? name.slice(city.name.length) : name;
}

/** The slug a ward the store does not know gets when an import creates it. */
function newWardSlug(name: string, city: Organization): string {
  return `${city.slug}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/** One wording for a new ward, whether an import created it or a dry run says it would. */
function newWardWarning(name: string, city: Organization, slug: string, dryRun: boolean): string {
  return `「${name}」は${city.name}の組織として登録されていないため、${dryRun ? '取り込むと新しく登録します' : '新しく登録しました'}(スラッグ ${slug}、読みと団体コードは未設定)`;
}

export interface ImportPreview {
  /** The organization the document resolves to; undefined when the import would create it. */
  organization: Organization | undefined;
  /** Its name and slug, the new ward's when it would be created. */
  name: string;
  slug: string;
  /** What the import would do, and the revision it would save (or leave, when unchanged). */
  outcome: ImportResult['outcome'];
  revision: number;
  /** Japanese, for the user; the same wording as importPlan's. */
  warnings: string[];
}

/**
 * What importPlan would do with this document, found by reading only (for `import --dry-run`,
 * which may run against a read-only connection): the ward it resolves to or would create, and
 * whether it would add a revision.
 */
export async function previewImport(store: Store, input: Pick<ImportInput, 'plan' | 'city'>): Promise<ImportPreview> {
  const { plan, city } = input;
  const name = wardName(plan.organization, city);
  const organization = await store.findWard(city.id, name);
  if (!organization) {
    const slug = newWardSlug(name, city);
    return { organization, name, slug, outcome: 'created', revision: 1, warnings: [newWardWarning(name, city, slug, true)] };
  }
  const existing = await store.findPlan(organization.id, plan.fiscalYear);
  const base = { organization, name: organization.name, slug: organization.slug, warnings: [] };
  if (!existing) return { ...base, outcome: 'created', revision: 1 };
  const current = await store.getRevision(existing.id);
  if (current && diffPlans(current.plan, inheritItemIds(current.plan, plan)).length === 0) return { ...base, outcome: 'unchanged', revision: current.number };
  return { ...base, outcome: 'updated', revision: existing.currentRevision + 1 };
}

async function importInTransaction(tx: Store, input: ImportInput): Promise<ImportResult> {
  const { plan, city } = input;
  const warnings: string[] = [];
  const name = wardName(plan.organization, city);
  let organization = await tx.findWard(city.id, name);
  let organizationCreated = false;
  if (!organization) {
    const slug = newWardSlug(name, city);
    organization = await tx.createOrganization({
      kind: name.endsWith('区') ? 'ward' : 'other',
      name,
      kana: '',
      slug,
      code: null,
      parentId: city.id,
    });
    organizationCreated = true;
    await tx.appendAudit({ actor: input.author, action: 'organization.create', organizationId: organization.id, detail: { name: organization.name, slug, parent: city.slug } });
    warnings.push(newWardWarning(name, city, slug, false));
  }

  const existing = await tx.findPlan(organization.id, plan.fiscalYear);
  const save = (basedOnRevision: number | null) =>
    tx.savePlan({ organizationId: organization.id, fiscalYear: plan.fiscalYear, plan, basedOnRevision, author: input.author, message: input.message });
  let planId: number;
  let revision: number;
  let outcome: ImportResult['outcome'];
  if (existing) {
    planId = existing.id;
    const current = await tx.getRevision(existing.id);
    if (current && diffPlans(current.plan, inheritItemIds(current.plan, plan)).length === 0) {
      revision = current.number;
      outcome = 'unchanged';
    } else {
      revision = (await save(existing.currentRevision)).number;
      outcome = 'updated';
    }
  } else {
    const saved = await save(null);
    planId = saved.planId;
    revision = saved.number;
    outcome = 'created';
  }
  let published = existing?.publishedRevision === revision;
  if (input.publish && !published) {
    await tx.publishRevision({ planId, revision, actor: input.author });
    published = true;
  }
  return { organization, organizationCreated, planId, revision, outcome, published, warnings };
}
