/**
 * A plan at every limit of PLAN_LIMITS at once: the most items each list may hold, the most
 * initiatives a plan may hold, the largest budgets, the four paragraph sections at their own
 * limit, and the plan's character limit spent evenly over every other text field (each capped
 * at its own limit). Valid: `validatePlan` finds no error in it, and the text layout holds it.
 * Used by the limit tests and by bench/editor-limits.ts (how the editor copes with the largest
 * plan it must accept).
 */
import { PLAN_LIMITS } from '../../src/domain/limits.ts';
import type { Initiative, Plan, Strategy } from '../../src/domain/plan.ts';

/** `n` characters of plausible Japanese prose, with characters HTML must escape. */
export function prose(n: number, seed = 0): string {
  const sentence = '地域活動協議会の自律的な運営を支援し、安全・安心なまちづくりを進める&区民の声を<施策>に反映する。';
  let s = sentence.slice(seed % sentence.length);
  while (s.length < n) s += sentence;
  return s.slice(0, n);
}

interface Slot {
  max: number;
  set: (text: string) => void;
}

export function planAtLimits(): Plan {
  const { chars, items, plan: whole, budgetThousandYen } = PLAN_LIMITS;
  const plan: Plan = {
    organization: '区',
    fiscalYear: 2024,
    documentStatus: 'draft',
    head: '',
    goal: prose(chars.text, 1),
    mission: Array.from({ length: items.mission }, () => ''),
    policy: prose(chars.text, 2),
    issues: [],
    reform: { planName: '', items: Array.from({ length: items.reformItems }, () => ({ title: '', content: '' })) },
    selfEvaluation: { achievements: prose(chars.text, 3), challenges: prose(chars.text, 4) },
  };
  // The plan-wide initiative limit, spread over the first strategies of each issue.
  let initiativesLeft = whole.initiatives;
  const perIssue = Math.ceil(whole.initiatives / items.issues);
  for (let i = 1; i <= items.issues; i++) {
    let inIssue = Math.min(perIssue, initiativesLeft);
    initiativesLeft -= inIssue;
    const strategies: Strategy[] = [];
    for (let j = 1; j <= items.strategiesPerIssue; j++) {
      const count = Math.min(inIssue, items.initiativesPerStrategy);
      inIssue -= count;
      const initiatives: Initiative[] = Array.from({ length: count }, (_, k) => ({
        number: `${i}-${j}-${k + 1}`,
        title: '',
        budgetThousandYen: budgetThousandYen.max,
        cmBudgetThousandYen: k % 2 === 0 ? null : 0,
        description: '',
      }));
      strategies.push({ number: `${i}-${j}`, title: '', description: '', initiatives });
    }
    plan.issues.push({ number: i, title: '', summary: '', strategies });
  }

  const reform = plan.reform!;
  const slots: Slot[] = [
    { max: chars.organization - 1, set: (t) => (plan.organization = `${t}区`) },
    { max: chars.head, set: (t) => (plan.head = t) },
    { max: chars.planName, set: (t) => (reform.planName = t) },
    ...plan.mission.map((_, i): Slot => ({ max: chars.missionItem, set: (t) => (plan.mission[i] = t) })),
    ...reform.items.flatMap((item): Slot[] => [
      { max: chars.title, set: (t) => (item.title = t) },
      { max: chars.text, set: (t) => (item.content = t) },
    ]),
    ...plan.issues.flatMap((issue): Slot[] => [
      { max: chars.title, set: (t) => (issue.title = t) },
      { max: chars.text, set: (t) => (issue.summary = t) },
      ...issue.strategies.flatMap((s): Slot[] => [
        { max: chars.title, set: (t) => (s.title = t) },
        { max: chars.text, set: (t) => (s.description = t) },
        ...s.initiatives.flatMap((it): Slot[] => [
          { max: chars.title, set: (t) => (it.title = t) },
          { max: chars.text, set: (t) => (it.description = t) },
        ]),
      ]),
    ]),
  ];
  // Water-filling: every slot gets an equal share of what is left, or its own limit if smaller.
  let left = whole.chars - countChars(plan);
  const sizes = new Map<Slot, number>();
  let open = [...slots];
  while (open.length > 0 && left >= open.length) {
    const share = Math.floor(left / open.length);
    const next: Slot[] = [];
    for (const slot of open) {
      const add = Math.min(share, slot.max - (sizes.get(slot) ?? 0));
      sizes.set(slot, (sizes.get(slot) ?? 0) + add);
      left -= add;
      if ((sizes.get(slot) ?? 0) < slot.max) next.push(slot);
    }
    if (next.length === open.length && share === 0) break;
    open = next;
  }
  // What the equal shares left over, a character each.
  for (const slot of open) {
    if (left === 0) break;
    sizes.set(slot, (sizes.get(slot) ?? 0) + 1);
    left--;
  }
  slots.forEach((slot, i) => slot.set(prose(sizes.get(slot) ?? 0, i)));
  return plan;
}

/** Characters of every text field, as validatePlan counts them (item numbers are not text). */
export function countChars(plan: Plan): number {
  let n = 0;
  JSON.stringify(plan, (key, value: unknown) => {
    if (typeof value === 'string' && key !== 'number' && key !== 'documentStatus') n += [...value].length;
    return value;
  });
  return n;
}
