/**
 * Child process of race.test.ts: saves WRITES revisions of one plan from its own
 * connection, each based on the revision it last read, after a seeded random pause, and
 * prints one JSON line per attempt: {tag, basedOn, number} or {tag, basedOn, refused: current}.
 */
import { ConflictError, openStore } from '../../src/store/index.ts';
import { buildPlan, mulberry32 } from '../support/build-plan.ts';

const [url, name, writes, seed, startAt] = process.argv.slice(2);
if (!url || !name || !writes || !seed || !startAt) throw new Error('usage: race-child.ts URL NAME WRITES SEED START_AT_MS');
const store = await openStore(url);
// Start together, whatever each process's start-up took.
await new Promise((res) => setTimeout(res, Math.max(0, Number(startAt) - Date.now())));
const random = mulberry32(Number(seed));
const nishi = (await store.findOrganization('nishi'))!;
const plan = (await store.findPlan(nishi.id, 2017))!;
for (let i = 0; i < Number(writes); i++) {
  const basedOn = (await store.getPlan(plan.id))!.currentRevision;
  const r = random();
  if (r > 0.5) await new Promise((res) => setTimeout(res, Math.floor(r * 4)));
  const tag = `${name}-${i}`;
  try {
    const rev = await store.savePlan({ organizationId: nishi.id, fiscalYear: 2017, plan: buildPlan({ goal: tag }), basedOnRevision: basedOn, author: name, message: tag });
    process.stdout.write(`${JSON.stringify({ tag, basedOn, number: rev.number })}\n`);
  } catch (e) {
    if (!(e instanceof ConflictError)) throw e;
    process.stdout.write(`${JSON.stringify({ tag, basedOn, refused: e.currentRevision })}\n`);
  }
}
await store.close();
