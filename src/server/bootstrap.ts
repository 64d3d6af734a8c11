import { readFileSync } from 'node:fs';
import { parseDocument } from '../formats/index.ts';
import { projectFile } from '../project-files.ts';
import { importPlan } from '../store/import-plan.ts';
import { DuplicateError, type Store } from '../store/store.ts';
import { generatePassword, hashPassword } from './auth/password.ts';

/** The seed: 西区's FY2017 plan as published, so a fresh install has something to read. */
const SEED_FILE = projectFile('src/server/seed/osaka-nishi-2017.txt');
export const INITIAL_ADMIN = 'admin';

export interface BootstrapResult {
  /** Set when the seed plan was loaded and published on this start. */
  seeded: { slug: string; fiscalYear: number } | null;
  /** Set when the first administrator was created on this start. */
  admin: { username: string; password: string; generated: boolean } | null;
}

/**
 * First start: load and publish the seed plan (only when the store holds no plan at all)
 * and create the first administrator (only when there is no user at all). Later starts
 * change nothing.
 */
export async function bootstrap(store: Store, env: NodeJS.ProcessEnv): Promise<BootstrapResult> {
  const result: BootstrapResult = { seeded: null, admin: null };
  if ((await store.listPlans()).length === 0) {
    const city = await store.findOrganization('osaka');
    const parsed = parseDocument(readFileSync(SEED_FILE), 'osaka-nishi-2017.txt');
    if (city && parsed.plan) {
      const imported = await importPlan(store, { plan: parsed.plan, city, publish: true, author: 'system', message: '初回起動時にサンプルとして取り込み' });
      result.seeded = { slug: imported.organization.slug, fiscalYear: parsed.plan.fiscalYear };
    }
  }
  if ((await store.listUsers()).length === 0) {
    const given = env.HOSHIN_ADMIN_PASSWORD;
    const password = given && given.length > 0 ? given : generatePassword();
    try {
      await store.createUser({ username: INITIAL_ADMIN, displayName: '管理者', passwordHash: await hashPassword(password), role: 'admin', organizationId: null });
    } catch (e) {
      // Another app process sharing the database created it first.
      if (e instanceof DuplicateError) return result;
      throw e;
    }
    await store.appendAudit({ actor: 'system', action: 'user.create', item: INITIAL_ADMIN, detail: { role: 'admin', initial: true } });
    result.admin = { username: INITIAL_ADMIN, password, generated: !given };
  }
  return result;
}
