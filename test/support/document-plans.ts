/**
 * The three plans every official document is checked with (issue 10): the seed, a generated
 * 30-issue plan, and the seed with indicators, measurements and reviews (hoshin-plan/2).
 */
import { readFileSync } from 'node:fs';
import type { Plan } from '../../src/domain/plan.ts';
import { parseDocument } from '../../src/formats/index.ts';
import { parseJson } from '../../src/formats/json/parse.ts';
import { generatePlan } from './build-plan.ts';

const fixture = (path: string) => new URL(`../fixtures/${path}`, import.meta.url);

export function seedPlan(): Plan {
  const r = parseDocument(readFileSync(fixture('text/osaka-nishi-2017.txt')), 'osaka-nishi-2017.txt');
  if (!r.plan) throw new Error(`the seed fixture does not parse: ${JSON.stringify(r.diagnostics)}`);
  return r.plan;
}

/** The seed with indicators, measurements, reviews and the newer forms' fields. */
export function pdcaPlan(): Plan {
  const r = parseJson(readFileSync(fixture('json/osaka-nishi-2017-pdca.json'), 'utf8'));
  if (!r.plan) throw new Error(`the PDCA fixture does not parse: ${JSON.stringify(r.diagnostics)}`);
  return r.plan;
}

/** The first generated plan with 30 issues (generatePlan draws 1 to maxIssues). */
export function thirtyIssuePlan(): Plan {
  for (let seed = 1; seed < 10_000; seed++) {
    const plan = generatePlan(seed, { maxIssues: 30 });
    if (plan.issues.length === 30) return plan;
  }
  throw new Error('no generated plan with 30 issues');
}

export const DOCUMENT_PLANS: [name: string, plan: () => Plan][] = [
  ['seed', seedPlan],
  ['thirty-issues', thirtyIssuePlan],
  ['pdca', pdcaPlan],
];
