/**
 * Numbering of the plan's items: issue N, strategy N-M, initiative N-M-K.
 * An initiative belongs to the strategy its number names, and a strategy to the issue.
 */

export type ItemNumber =
  | { kind: 'issue'; issue: number }
  | { kind: 'strategy'; issue: number; strategy: number }
  | { kind: 'initiative'; issue: number; strategy: number; initiative: number };

const NUMBER = /^([1-9]\d{0,3})(?:-([1-9]\d{0,3}))?(?:-([1-9]\d{0,3}))?$/;

/** "2-4-2" → initiative; undefined when it is not a well-formed number. Expects half-width digits and "-". */
export function parseItemNumber(text: string): ItemNumber | undefined {
  const m = NUMBER.exec(text);
  if (!m) return undefined;
  const [, a, b, c] = m;
  const issue = Number(a);
  if (b === undefined) return { kind: 'issue', issue };
  if (c === undefined) return { kind: 'strategy', issue, strategy: Number(b) };
  return { kind: 'initiative', issue, strategy: Number(b), initiative: Number(c) };
}

export function strategyNumber(issue: number, strategy: number): string {
  return `${issue}-${strategy}`;
}

export function initiativeNumber(issue: number, strategy: number, initiative: number): string {
  return `${issue}-${strategy}-${initiative}`;
}

/** "2-4-2" → "2-4"; undefined when the text is not an initiative number. */
export function parentStrategyNumber(initiative: string): string | undefined {
  const n = parseItemNumber(initiative);
  return n?.kind === 'initiative' ? strategyNumber(n.issue, n.strategy) : undefined;
}

/** "2-4" → 2; undefined when the text is not a strategy number. */
export function parentIssueNumber(strategy: string): number | undefined {
  const n = parseItemNumber(strategy);
  return n?.kind === 'strategy' ? n.issue : undefined;
}

/** Compare "1-10" after "1-9". */
export function compareItemNumbers(a: string, b: string): number {
  const pa = a.split('-').map(Number);
  const pb = b.split('-').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The last part of an item number: "2-4" → "4", 3 → "3". */
export function localNumber(number: string | number): string {
  const s = String(number);
  return s.slice(s.lastIndexOf('-') + 1);
}
