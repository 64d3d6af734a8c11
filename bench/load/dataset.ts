/**
 * A city's worth of published plans for the memory run: Osaka's 24 wards × 10 fiscal years,
 * each made from the seed (西区 FY2017) with its own ward, year, head, budgets, dropped and
 * added initiatives and retitled items, so no two pages are alike and each is about the
 * seed's size. Stored through the store's import (one transaction each, published), as
 * `hoshin import --publish` would.
 */
import { readFileSync } from 'node:fs';
import type { Initiative, Plan } from '../../src/domain/plan.ts';
import { parseDocument } from '../../src/formats/index.ts';
import { importPlan } from '../../src/store/import-plan.ts';
import { openStore } from '../../src/store/index.ts';
import { OSAKA_WARDS } from '../../src/store/presets/osaka.ts';
import { generatePlan, mulberry32 } from '../../test/support/build-plan.ts';

export const FIRST_YEAR = 2017;
export const YEARS = 10;

const HEADS = ['高野 賢', '山本 直子', '佐藤 一郎', '中村 由美', '小林 誠', '加藤 恵', '吉田 浩二', '松本 明美', '井上 聡', '木村 裕子'];

export function seedPlan(): Plan {
  const parsed = parseDocument(readFileSync(new URL('../../src/server/seed/osaka-nishi-2017.txt', import.meta.url)), 'osaka-nishi-2017.txt');
  if (!parsed.plan) throw new Error('the seed plan does not parse');
  return parsed.plan;
}

/** The plan of ward `wardIndex` (of OSAKA_WARDS) for `fiscalYear`, varied from the seed. */
export function cityPlan(seed: Plan, wardIndex: number, fiscalYear: number): Plan {
  const ward = OSAKA_WARDS[wardIndex]!;
  const random = mulberry32(wardIndex * 1000 + fiscalYear);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const other = generatePlan(wardIndex * 1000 + fiscalYear, { maxIssues: 3 });
  const spare: Initiative[] = other.issues.flatMap((i) => i.strategies.flatMap((s) => s.initiatives));
  const spareTitles = spare.map((i) => i.title);
  // The seed's own ward name throughout its text becomes this ward's.
  const plan = JSON.parse(JSON.stringify(seed).replaceAll('西区', ward.name)) as Plan;
  plan.fiscalYear = fiscalYear;
  plan.documentStatus = fiscalYear === FIRST_YEAR + YEARS - 1 ? 'draft' : 'final';
  plan.head = HEADS[int(0, HEADS.length - 1)]!;
  const scale = (n: number | null) => (n === null ? null : Math.max(0, Math.round(n * (0.5 + random() * 1.3))));
  for (const issue of plan.issues) {
    for (const strategy of issue.strategies) {
      const kept = strategy.initiatives.filter((_, i) => i === 0 || random() > 0.2);
      for (const initiative of kept) {
        initiative.budgetThousandYen = scale(initiative.budgetThousandYen);
        initiative.cmBudgetThousandYen = scale(initiative.cmBudgetThousandYen);
        if (spareTitles.length > 0 && random() < 0.25) initiative.title = spareTitles[int(0, spareTitles.length - 1)]!;
      }
      // New work added this year, numbered after the last kept initiative, as wards do.
      let last = Math.max(0, ...kept.map((i) => Number(i.number.split('-')[2]) || 0));
      for (let k = int(0, 2); k > 0 && spare.length > 0; k--) {
        const from = spare[int(0, spare.length - 1)]!;
        kept.push({ number: `${strategy.number}-${++last}`, title: from.title, budgetThousandYen: from.budgetThousandYen, cmBudgetThousandYen: from.cmBudgetThousandYen, description: from.description });
      }
      strategy.initiatives = kept;
    }
  }
  return plan;
}

export interface CityDataset {
  plans: number;
  /** `/plans/SLUG/YEAR` of every plan. */
  planPaths: string[];
  seconds: number;
}

/** Stores the 240 plans, published, into the database at `databaseUrl` (migrating it first). */
export async function loadCityDataset(databaseUrl: string): Promise<CityDataset> {
  const start = process.hrtime.bigint();
  const store = await openStore(databaseUrl);
  const planPaths: string[] = [];
  try {
    const city = await store.findOrganization('osaka');
    if (!city) throw new Error('the store has no 大阪市 (osaka) preset');
    const seed = seedPlan();
    for (let w = 0; w < OSAKA_WARDS.length; w++) {
      for (let y = FIRST_YEAR; y < FIRST_YEAR + YEARS; y++) {
        const result = await importPlan(store, { plan: cityPlan(seed, w, y), city, publish: true, author: 'bench', message: 'bench: 24 wards × 10 years' });
        if (!result.published) throw new Error(`bench: ${OSAKA_WARDS[w]!.name} ${y} was not published`);
        planPaths.push(`/plans/${result.organization.slug}/${y}`);
      }
    }
  } finally {
    await store.close();
  }
  return { plans: planPaths.length, planPaths, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}
