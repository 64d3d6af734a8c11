/**
 * No lost update: several connections race seeded, randomly interleaved writes on one plan.
 * Every accepted write must be in the revision chain exactly where it said, based on the
 * revision before it; every refused one must be absent.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { buildPlan, mulberry32 } from '../support/build-plan.ts';
import { ConflictError, WorkflowError, createTestDatabase, openStore, type SqlStore, type TestStore } from '../../src/store/index.ts';
import { describeEachEngine } from './engines.ts';

const WRITERS = 3;
const WRITES_PER_WRITER = 700;
const SEED = 20260401;
const CHILD = fileURLToPath(new URL('./race-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Attempt {
  tag: string;
  basedOn: number;
  number?: number;
  refused?: number;
}

function runChild(url: string, name: string, writes: number, seed: number, startAt: number): Promise<Attempt[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, url, name, String(writes), String(seed), String(startAt)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${name} exited ${code}: ${err}`));
      else resolve(out.trim().split('\n').map((l) => JSON.parse(l) as Attempt));
    });
  });
}

describeEachEngine('racing writers', (engine) => {
  let db: TestStore;
  let writers: SqlStore[] = [];
  afterEach(async () => {
    for (const w of writers) await w.close();
    writers = [];
    await db.store.close();
  });

  it(`lose no update over ${WRITERS * WRITES_PER_WRITER} interleaved writes`, { timeout: 180_000 }, async () => {
    db = await createTestDatabase(engine);
    writers = await Promise.all(Array.from({ length: WRITERS }, () => openStore(db.url)));
    const nishi = (await db.store.findOrganization('nishi'))!;
    const first = await db.store.savePlan({ organizationId: nishi.id, fiscalYear: 2017, plan: buildPlan({ goal: 'start' }), basedOnRevision: null, author: 'setup', message: '' });
    const planId = first.planId;

    const accepted: { tag: string; basedOn: number; number: number }[] = [];
    const refused: { tag: string; basedOn: number; current: number }[] = [];
    const pause = (random: () => number) => {
      const r = random();
      if (r < 0.3) return Promise.resolve();
      if (r < 0.8) return new Promise<void>((res) => setImmediate(res));
      return new Promise<void>((res) => setTimeout(res, Math.floor(random() * 3)));
    };

    await Promise.all(
      writers.map(async (store, w) => {
        const random = mulberry32(SEED + w);
        for (let i = 0; i < WRITES_PER_WRITER; i++) {
          const basedOn = (await store.getPlan(planId))!.currentRevision;
          await pause(random);
          const tag = `w${w}-${i}`;
          try {
            const rev = await store.savePlan({ organizationId: nishi.id, fiscalYear: 2017, plan: buildPlan({ goal: tag }), basedOnRevision: basedOn, author: `writer${w}`, message: tag });
            accepted.push({ tag, basedOn, number: rev.number });
          } catch (e) {
            if (!(e instanceof ConflictError)) throw e;
            refused.push({ tag, basedOn, current: e.currentRevision });
          }
        }
      }),
    );

    const total = WRITERS * WRITES_PER_WRITER;
    expect(accepted.length + refused.length).toBe(total);
    // The race is real: both outcomes happen many times.
    expect(accepted.length).toBeGreaterThan(total / 10);
    expect(refused.length).toBeGreaterThan(total / 20);

    const metas = await db.store.listRevisions(planId);
    expect(metas.map((m) => m.number)).toEqual(Array.from({ length: accepted.length + 1 }, (_, i) => i + 1));
    const byNumber = new Map<number, string>();
    for (const m of metas) byNumber.set(m.number, m.message);
    for (const a of accepted) {
      expect(a.number).toBe(a.basedOn + 1);
      expect(byNumber.get(a.number)).toBe(a.tag);
    }
    const stored = new Set(metas.map((m) => m.message));
    for (const r of refused) {
      expect(stored.has(r.tag)).toBe(false);
      expect(r.current).toBeGreaterThan(r.basedOn);
    }
    // Bodies agree with the chain, spot-checked, and the audit log has one entry per revision.
    for (const a of accepted.filter((_, i) => i % 50 === 0)) expect((await db.store.getRevision(planId, a.number))?.plan.goal).toBe(a.tag);
    expect(await db.store.integrityCheck()).toEqual([]);
  });

  it('lose no update when the writers are separate processes', { timeout: 180_000 }, async () => {
    db = await createTestDatabase(engine);
    const nishi = (await db.store.findOrganization('nishi'))!;
    const { planId } = await db.store.savePlan({ organizationId: nishi.id, fiscalYear: 2017, plan: buildPlan({ goal: 'start' }), basedOnRevision: null, author: 'setup', message: 'start' });
    const startAt = Date.now() + 3000;
    const attempts = (await Promise.all([runChild(db.url, 'p0', 300, SEED, startAt), runChild(db.url, 'p1', 300, SEED + 1, startAt)])).flat();
    const accepted = attempts.filter((a) => a.number !== undefined);
    const refused = attempts.filter((a) => a.refused !== undefined);
    expect(accepted.length + refused.length).toBe(600);
    expect(refused.length).toBeGreaterThan(0);
    const metas = await db.store.listRevisions(planId);
    expect(metas).toHaveLength(accepted.length + 1);
    const byNumber = new Map(metas.map((m) => [m.number, m.message]));
    for (const a of accepted) {
      expect(a.number).toBe(a.basedOn + 1);
      expect(byNumber.get(a.number!)).toBe(a.tag);
    }
    const stored = new Set(metas.map((m) => m.message));
    for (const r of refused) {
      expect(stored.has(r.tag)).toBe(false);
      expect(r.refused).toBeGreaterThan(r.basedOn);
    }
    expect(await db.store.integrityCheck()).toEqual([]);
  });

  it('let exactly one of two approvers approve the same revision', async () => {
    db = await createTestDatabase(engine);
    writers = await Promise.all([openStore(db.url), openStore(db.url)]);
    const nishi = (await db.store.findOrganization('nishi'))!;
    const { planId } = await db.store.savePlan({ organizationId: nishi.id, fiscalYear: 2017, plan: buildPlan(), basedOnRevision: null, author: 'e', message: '' });
    await db.store.setWorkflowState({ planId, basedOnRevision: 1, to: 'submitted', actor: 'e' });
    const results = await Promise.allSettled(writers.map((s, i) => s.setWorkflowState({ planId, basedOnRevision: 1, to: 'approved', actor: `boss${i}` })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failure.reason).toBeInstanceOf(WorkflowError);
    expect((await db.store.listAudit({ planId, action: 'plan.workflow' })).map((e) => (e.detail as { to: string }).to)).toEqual(['submitted', 'approved']);
  });
});
