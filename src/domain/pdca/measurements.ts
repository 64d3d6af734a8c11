/**
 * Measurements are kept beside a plan in the store, not in its revisions (recording one is not
 * an edit of the plan). A hoshin-plan/2 document carries them inside its indicators; these
 * helpers move them out of a plan (to store) and back in (to export or serve).
 */
import type { Indicator, Measurement, Plan } from '../plan.ts';
import { indicatorLists } from './plan-rules.ts';

/** A measurement with the id of the indicator it belongs to (the store's NewMeasurement). */
export interface IndicatorMeasurement extends Measurement {
  indicatorId: string;
}

/**
 * The plan without measurements, and the measurements it carried, each with its indicator's id,
 * in document order. Measurements of an indicator without an id cannot be kept apart from it:
 * they are returned in `orphans` (callers give the indicator an id first; see withIndicatorIds).
 */
export function withoutMeasurements(plan: Plan): { plan: Plan; measurements: IndicatorMeasurement[]; orphans: number } {
  const copy = structuredClone(plan);
  const measurements: IndicatorMeasurement[] = [];
  let orphans = 0;
  for (const { list } of indicatorLists(copy)) {
    for (const indicator of list) {
      const carried = indicator.measurements;
      delete indicator.measurements;
      if (!carried) continue;
      if (indicator.id === undefined || indicator.id === null) {
        orphans += carried.length;
        continue;
      }
      for (const m of carried) measurements.push({ indicatorId: indicator.id, ...measurementOnly(m) });
    }
  }
  return { plan: copy, measurements, orphans };
}

/**
 * The plan with each indicator's measurements filled in from `records` (any order; records of
 * indicators the plan does not have are ignored), oldest first by date, then as given. An
 * indicator with none gets no `measurements` key, so a plan without any is unchanged.
 */
export function withMeasurements(plan: Plan, records: readonly IndicatorMeasurement[]): Plan {
  const copy = structuredClone(plan);
  const byIndicator = new Map<string, { m: Measurement; n: number }[]>();
  records.forEach((r, n) => {
    const list = byIndicator.get(r.indicatorId) ?? [];
    list.push({ m: measurementOnly(r), n });
    byIndicator.set(r.indicatorId, list);
  });
  for (const { list } of indicatorLists(copy)) {
    for (const indicator of list) {
      delete indicator.measurements;
      const found = indicator.id === undefined || indicator.id === null ? undefined : byIndicator.get(indicator.id);
      if (!found || found.length === 0) continue;
      indicator.measurements = found.sort((a, b) => (a.m.date < b.m.date ? -1 : a.m.date > b.m.date ? 1 : a.n - b.n)).map((x) => x.m);
    }
  }
  return copy;
}

/** The same measurement: what a re-import of one document must not store twice. */
export function measurementKey(m: IndicatorMeasurement): string {
  return JSON.stringify([m.indicatorId, m.date, m.value, m.note ?? null, m.source ?? null]);
}

/**
 * A copy in which every indicator has an id: those it has are kept; a missing one is made from
 * its item's id, its list and its position (`strategy-1-1-outcome-1`), so importing the same
 * document again gives the same ids. `taken` holds ids already used in the plan.
 */
export function withIndicatorIds(plan: Plan): Plan {
  const copy = structuredClone(plan);
  const lists = indicatorLists(copy);
  const taken = new Set<string>();
  for (const { item } of itemIds(copy)) if (item) taken.add(item);
  for (const { list } of lists) for (const i of list) if (typeof i.id === 'string') taken.add(i.id);
  for (const { path, list } of lists) {
    const owner = ownerId(copy, path);
    const kind = /\.(\w+)$/.exec(path)![1]!.replace(/Indicators$/, '');
    list.forEach((indicator: Indicator, n) => {
      if (typeof indicator.id === 'string') return;
      const stem = `${(owner ?? 'plan').slice(0, 40)}-${kind}-${n + 1}`;
      let id = stem;
      for (let k = 2; taken.has(id); k++) id = `${stem}-${k}`;
      indicator.id = id;
      taken.add(id);
    });
  }
  return copy;
}

function itemIds(plan: Plan): { item: string | undefined }[] {
  return [
    ...plan.issues.flatMap((i) => [i.id, ...i.strategies.flatMap((s) => [s.id, ...s.initiatives.map((x) => x.id)])]),
    ...(plan.reform?.items.map((r) => r.id) ?? []),
  ].map((item) => ({ item: item ?? undefined }));
}

/** The id of the item an indicator list (`issues[0].strategies[1].outcomeIndicators`) belongs to. */
function ownerId(plan: Plan, listPath: string): string | undefined {
  const m = /^(?:issues\[(\d+)\](?:\.strategies\[(\d+)\](?:\.initiatives\[(\d+)\])?)?|reform\.items\[(\d+)\])\./.exec(listPath);
  if (!m) return undefined;
  if (m[4] !== undefined) return plan.reform?.items[Number(m[4])]?.id;
  const issue = plan.issues[Number(m[1])];
  const strategy = m[2] === undefined ? undefined : issue?.strategies[Number(m[2])];
  const initiative = m[3] === undefined ? undefined : strategy?.initiatives[Number(m[3])];
  return (initiative ?? strategy ?? issue)?.id;
}

function measurementOnly(m: Measurement): Measurement {
  return {
    date: m.date,
    value: m.value,
    ...(m.note !== undefined && m.note !== null ? { note: m.note } : {}),
    ...(m.source !== undefined && m.source !== null ? { source: m.source } : {}),
  };
}
