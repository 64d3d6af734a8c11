/**
 * Crash safety: a bulk import killed with SIGKILL at random moments, many times over,
 * leaves a database that passes its integrity check, with each document wholly stored
 * (at one of its versions, with its ward, revisions, audit entries) or absent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { withoutItemIds } from '../../src/domain/item-ids.ts';
import { diffPlans } from '../../src/domain/plan-diff.ts';
import { createTestDatabase, type TestStore } from '../../src/store/index.ts';
import { mulberry32 } from '../support/build-plan.ts';
import { baseDocument, BULK_BASE, secondVersion } from './bulk-documents.ts';
import { describeEachEngine } from './engines.ts';

const KILLS = 20;
const CHILD = fileURLToPath(new URL('./bulk-import-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function startChild(url: string): { child: ChildProcess; ready: Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, url], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before ready: ${stderr}`)));
  });
  const exited = once(child, 'exit').then(([code, signal]) => {
    if (code !== 0 && signal !== 'SIGKILL') throw new Error(`child failed (${code}, ${signal}): ${stderr}`);
    return code as number | null;
  });
  return { child, ready, exited };
}

describeEachEngine('SIGKILL during bulk import', (engine) => {
  let db: TestStore;
  afterEach(async () => {
    await db.store.close();
  });

  it(`leaves every document whole or absent after ${KILLS} kills`, { timeout: 300_000 }, async () => {
    db = await createTestDatabase(engine);
    const random = mulberry32(7 + (engine === 'postgres' ? 1 : 0));
    let finished = false;
    for (let k = 0; k < KILLS && !finished; k++) {
      const { child, ready, exited } = startChild(db.url);
      await ready;
      await new Promise((r) => setTimeout(r, 20 + Math.floor(random() * 400)));
      finished = child.exitCode !== null;
      child.kill('SIGKILL');
      await exited;
    }

    expect(await db.store.integrityCheck()).toEqual([]);

    const osaka = (await db.store.findOrganization('osaka'))!;
    // The child imports in order and resumes at the first document it had not stored, so
    // what is present must be a prefix: check each document up to the first absent one,
    // then that nothing else is there.
    let present = 0;
    let revised = 0;
    for (let i = 0; i < BULK_BASE; i++) {
      const v1 = baseDocument(i);
      const v2 = secondVersion(i);
      const ward = await db.store.findWard(osaka.id, v1.plan.organization);
      const plan = ward && (await db.store.findPlan(ward.id, v1.plan.fiscalYear));
      if (!plan) break;
      present++;
      const revisions = await Promise.all((await db.store.listRevisions(plan.id)).map((m) => db.store.getRevision(plan.id, m.number)));
      expect(revisions.length).toBeGreaterThanOrEqual(1);
      expect(revisions.length).toBeLessThanOrEqual(v2 ? 2 : 1);
      expect(diffPlans(withoutItemIds(revisions[0]!.plan), v1.plan), v1.key).toEqual([]);
      if (revisions[1]) {
        revised++;
        expect(diffPlans(withoutItemIds(revisions[1].plan), v2!.plan), v2!.key).toEqual([]);
      }
      // --publish was part of the same transaction as the first save.
      if (v1.publish) expect(plan.publishedRevision, v1.key).not.toBeNull();
    }
    expect((await db.store.listPlans()).length).toBe(present);
    console.log(`${engine}: ${present} plans present after the kills, ${revised} revised`);
    // The kills landed during the import, not before or after it.
    expect(present).toBeGreaterThan(0);
    expect(revised).toBeGreaterThan(0);
    expect(finished).toBe(false);
    // No ward without the plan it was created for.
    for (const ward of await db.store.listOrganizations({ parentId: osaka.id })) {
      if (ward.code === null) expect((await db.store.listPlans({ organizationId: ward.id })).length, ward.name).toBeGreaterThan(0);
    }
  });
});
