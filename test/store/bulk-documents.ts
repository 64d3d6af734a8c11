/**
 * The documents the kill test imports: generated plans for Osaka's wards and for wards the
 * store does not know yet (so a transaction also creates an organization), and second
 * versions of half of them, interleaved (so a transaction also diffs and appends a revision). Every
 * base document has its own organization and fiscal year.
 */
import type { Plan } from '../../src/domain/plan.ts';
import { OSAKA_WARDS } from '../../src/store/presets/osaka.ts';
import { generatePlan } from '../support/build-plan.ts';

export interface BulkDocument {
  key: string;
  plan: Plan;
  publish: boolean;
}

/** More than the kill test's child can import before its last kill, on any machine. */
export const BULK_BASE = 20_000;

export function baseDocument(i: number): BulkDocument {
  const organization = i % 4 === 3 ? `試験${i}区` : OSAKA_WARDS[i % OSAKA_WARDS.length]!.name;
  const fiscalYear = 1980 + Math.floor(i / OSAKA_WARDS.length);
  return { key: `v1-${i}`, plan: generatePlan(1000 + i, { organization, fiscalYear, maxIssues: 3 }), publish: i % 3 === 0 };
}

/** Generated as they are consumed, so a child process starts writing at once. */
export function* bulkDocuments(): Generator<BulkDocument> {
  // Each even document's second version comes ten documents after its first.
  const lag = 10;
  for (let i = 0; i < BULK_BASE + lag; i++) {
    if (i < BULK_BASE) yield baseDocument(i);
    const j = i - lag;
    if (j >= 0 && j % 2 === 0) yield secondVersion(j)!;
  }
}

/** The second version of document i, for even i. */
export function secondVersion(i: number): BulkDocument | undefined {
  if (i % 2 !== 0) return undefined;
  const d = baseDocument(i);
  return { key: `v2-${i}`, plan: { ...d.plan, goal: `${d.plan.goal}(改訂)` }, publish: false };
}
