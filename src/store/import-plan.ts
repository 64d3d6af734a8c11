/**
 * Storing one parsed document: find its ward within the chosen city (a document names only
 * its ward, and 西区 exists in many cities), create the ward if unknown, and save a new
 * revision on top of whatever is there — all in one transaction.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Plan } from '../domain/plan.ts';
import { inheritItemIds, planItems, withItemIds } from '../domain/item-ids.ts';
import { measurementKey, withIndicatorIds, withoutMeasurements } from '../domain/pdca/measurements.ts';
import { diffPlans } from '../domain/plan-diff.ts';
import { PLAN_FORMAT_2, toPlanJson } from '../formats/index.ts';
import { DuplicateError, type Organization, type Store } from './store.ts';

/**
 * A document the store refuses after reading it: a carriedFrom that names no item of the same
 * organization's plan of the previous fiscal year. Nothing is stored.
 */
export class ImportRefusedError extends Error {
  constructor(readonly problems: { field: string; message: string }[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('\n'));
    this.name = 'ImportRefusedError';
  }
}

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
  /** Measurements the document carried that were not stored already (a re-import adds none). */
  measurementsAdded: number;
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
  await refuseUnknownCarriedFrom(store, organization.id, plan);
  const existing = await store.findPlan(organization.id, plan.fiscalYear);
  const base = { organization, name: organization.name, slug: organization.slug, warnings: [] };
  if (!existing) return { ...base, outcome: 'created', revision: 1 };
  const current = await store.getRevision(existing.id);
  if (current && samePlan(current.plan, prepare(current.plan, plan, (p) => p).plan)) return { ...base, outcome: 'unchanged', revision: current.number };
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

  await refuseUnknownCarriedFrom(tx, organization.id, plan);
  const existing = await tx.findPlan(organization.id, plan.fiscalYear);
  const current = existing ? await tx.getRevision(existing.id) : undefined;
  // Measurements go beside the plan, not into its revision; ids first, so they have an indicator to hang on.
  const { plan: bare, measurements } = prepare(current?.plan, plan, (p) => withItemIds(p, randomUUID));
  const save = (basedOnRevision: number | null) =>
    tx.savePlan({ organizationId: organization.id, fiscalYear: plan.fiscalYear, plan: bare, basedOnRevision, author: input.author, message: input.message });
  let planId: number;
  let revision: number;
  let outcome: ImportResult['outcome'];
  if (existing) {
    planId = existing.id;
    if (current && samePlan(current.plan, bare)) {
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
  const measurementsAdded = await addNewMeasurements(tx, planId, existing !== undefined, measurements, input.author);
  let published = existing?.publishedRevision === revision;
  if (input.publish && !published) {
    await tx.publishRevision({ planId, revision, actor: input.author });
    published = true;
  }
  return { organization, organizationCreated, planId, revision, outcome, published, measurementsAdded, warnings };
}

/**
 * The document's plan as it will be stored: items keep the ids the stored plan gave them
 * (a text document carries none), `withIds` gives the rest theirs, every indicator gets an id,
 * and the measurements are taken out.
 */
function prepare(current: Plan | undefined, plan: Plan, withIds: (p: Plan) => Plan): ReturnType<typeof withoutMeasurements> {
  return withoutMeasurements(withIndicatorIds(withIds(current ? inheritItemIds(current, plan) : plan)));
}

/** Nothing to store: no change people see (diffPlans), and no change in any /2 key either. */
function samePlan(current: Plan, next: Plan): boolean {
  return diffPlans(current, next).length === 0 && JSON.stringify(toPlanJson(current, PLAN_FORMAT_2)) === JSON.stringify(toPlanJson(next, PLAN_FORMAT_2));
}

/** Stores the document's measurements that are not stored yet; the same one twice in a document stays twice. */
async function addNewMeasurements(tx: Store, planId: number, existed: boolean, measurements: ReturnType<typeof withoutMeasurements>['measurements'], author: string): Promise<number> {
  if (measurements.length === 0) return 0;
  const stored = new Map<string, number>();
  if (existed) for (const m of await tx.listMeasurements(planId)) stored.set(measurementKey(m), (stored.get(measurementKey(m)) ?? 0) + 1);
  const fresh = measurements.filter((m) => {
    const key = measurementKey(m);
    const n = stored.get(key) ?? 0;
    if (n === 0) return true;
    stored.set(key, n - 1);
    return false;
  });
  if (fresh.length > 0) await tx.addMeasurements({ planId, author, measurements: fresh });
  return fresh.length;
}

/**
 * The spec: carriedFrom names an item of the same organization's plan of the previous fiscal
 * year. Checked when that plan is in the store (without it there is nothing to check against).
 */
async function refuseUnknownCarriedFrom(store: Store, organizationId: number, plan: Plan): Promise<void> {
  const links = planItems(plan).filter(({ item }) => typeof item.carriedFrom === 'string');
  if (links.length === 0) return;
  const previous = await store.findPlan(organizationId, plan.fiscalYear - 1);
  const revision = previous ? await store.getRevision(previous.id) : undefined;
  if (!revision) return;
  const ids = new Set(planItems(revision.plan).flatMap(({ item }) => (item.id === undefined ? [] : [item.id])));
  const problems = links
    .filter(({ item }) => !ids.has(item.carriedFrom!))
    .map(({ item, path }) => ({ field: `${path}.carriedFrom`, message: `carriedFrom「${item.carriedFrom!}」は前年度(${plan.fiscalYear - 1}年度)の計画の項目にありません` }));
  if (problems.length > 0) throw new ImportRefusedError(problems);
}
