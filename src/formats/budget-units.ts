/**
 * Budgets as the published forms write them, converted exactly to 千円.
 *
 * Osaka's forms give budgets as 22,268千円 (2013–2022), 65百万円 or 5千4百万円 (2023–), 3億円,
 * 算定見込額 263千円 in a 素案, or a bare number in a column headed (千円). The model stores whole
 * 千円 (`budgetThousandYen`), so a value is computed in yen with BigInt (no float rounding: 0.5百万円
 * is exactly 500千円) and refused when it is not a whole number of 千円.
 */
import { budgetProblem } from '../domain/validate.ts';
import { unifyRadicals } from './text/fold.ts';

export type BudgetAmount = { thousandYen: number; estimate: boolean; unit: string };
export type BudgetAmountResult = BudgetAmount | { error: string } | null;

/** Multipliers within a group of four digits (千 is 10^3 yen, not a unit of its own). */
const SMALL: Record<string, bigint> = { 十: 10n, 百: 100n, 千: 1000n };
/** Myriad multipliers, each closing a group. */
const LARGE: Record<string, bigint> = { 万: 10_000n, 億: 100_000_000n, 兆: 1_000_000_000_000n };
const KANJI_DIGITS: Record<string, string> = { 〇: '0', 零: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };

/** "-", "－", "―", "ー" and their look-alikes, alone: the form's "no budget". */
const NONE = /^[-‐‑‒–—―−ーｰ─]+(?:千円)?$|^(?:なし|無し)$/;
/** 予算額 written below 0: △ and ▲ are the accounting minus. */
const NEGATIVE = /^[-‐‑‒–—―−△▲]\s*(?=[0-9〇零一二三四五六七八九])/;

/**
 * Labels around an amount: brackets (【】[]()), a year (令和5年度, 29年度, (4年度予算額)), the kind of
 * amount (予算額, 区CM予算額, 算定見込額, 当初予算額) and a colon. What is left is the amount.
 */
const OPENERS = '[(（【〔［「<〈《≪';
const CLOSERS = '])）】〕］」>〉》≫';
const YEAR = String.raw`(?:令和|平成|R|H)?\s*(?:\d{1,4}|元)\s*年度`;
const KIND = String.raw`(?:区\s*CM\s*)?(?:当初)?(?:予算額|予算|算定見込額|予算見込額|見込額)(?:\s*\(\s*(?:見込|見込み|概算)\s*\))?`;
const LABEL = new RegExp(String.raw`^(?:${YEAR}\s*)?${KIND}\s*[:：]?\s*`);
const YEAR_ONLY = new RegExp(String.raw`^${YEAR}\s*[:：]?\s*`);
/** A bracket holding only a label or the unit: "(4年度予算額)", "(千円)", "(単位:千円)". */
const LABEL_ONLY = new RegExp(String.raw`^(?:(?:${YEAR}\s*)?${KIND}|(?:単位\s*[:：]?\s*)?千円)$`);

/**
 * One budget as written → whole 千円, `null` when the form says there is none ("-"), or a
 * Japanese error. `estimate` is true when the form gives an estimate (算定見込額, 見込, 約);
 * `unit` is the unit as written after the last digit ("千円", "百万円", "千万円", "億円", "円"),
 * or "" for a bare number, which is read as 千円 (the forms' tables head such a column (千円)).
 * `label` names the amount in messages (「具体的取組1-1-1の予算額」).
 */
export function parseBudgetAmount(text: string, label = '予算額'): BudgetAmountResult {
  const written = text.trim();
  let t = normalize(text);
  let estimate = false;
  let unitFromLabel = '';

  // Peel brackets and labels from outside in: "[算定見込額 263千円]", "(4年度予算額) 77,800千円".
  for (let guard = 0; guard < 8; guard++) {
    const before = t;
    t = t.trim();
    if (t.length >= 2 && OPENERS.includes(t[0]!) && CLOSERS.indexOf(t[t.length - 1]!) === OPENERS.indexOf(t[0]!)) {
      const inner = t.slice(1, -1);
      // Only a bracket that closes at the end encloses the whole; "(4年度予算額) 5千円" does not.
      if (balanced(inner)) t = inner;
    }
    const bracketed = /^[(（【〔［[]([^()（）【】〔〕［］[\]]*)[)）】〕］\]]\s*/.exec(t);
    if (bracketed && LABEL_ONLY.test(bracketed[1]!.trim())) {
      if (/見込/.test(bracketed[1]!)) estimate = true;
      if (/千円/.test(bracketed[1]!)) unitFromLabel = '千円';
      t = t.slice(bracketed[0].length);
    }
    const l = LABEL.exec(t) ?? YEAR_ONLY.exec(t);
    if (l && l[0].length > 0) {
      if (/見込/.test(l[0])) estimate = true;
      t = t.slice(l[0].length);
    }
    if (/^約\s*/.test(t)) {
      estimate = true;
      t = t.replace(/^約\s*/, '');
    }
    t = t.trim();
    if (t === before) break;
  }
  // "(見込)" after the amount: "263千円(見込)".
  const after = /\s*[(（](?:見込|見込み|概算|見込額)[)）]$/.exec(t);
  if (after) {
    estimate = true;
    t = t.slice(0, after.index).trim();
  }

  if (t === '') return { error: `${label}が書かれていません(「22,268千円」「5千4百万円」または「-」の形で書いてください)` };
  if (NONE.test(t)) return null;

  const negative = NEGATIVE.exec(t);
  if (negative) {
    const magnitude = readAmount(t.slice(negative[0].length));
    if ('yen' in magnitude && magnitude.yen > 0n) {
      const thousand = Number(magnitude.yen / 1000n);
      return { error: budgetProblem(-Math.max(thousand, 1), label, written)! };
    }
    return { error: unreadable(label, written) };
  }

  const amount = readAmount(t);
  if ('error' in amount) {
    switch (amount.error) {
      case 'order':
        return { error: `${label}「${written}」の単位の順序が正しくありません(億・万・千・百の順に書いてください)` };
      case 'fraction':
        return { error: `${label}「${written}」に1円未満の端数があります。千円単位で書いてください` };
      case 'unreadable':
        return { error: unreadable(label, written) };
    }
  }
  const { yen, unit } = amount;
  if (yen % 1000n !== 0n) {
    return { error: `${label}「${written}」は千円単位の整数になりません(${formatYen(yen)}円)。千円単位で書いてください` };
  }
  const thousand = yen / 1000n;
  if (thousand > BigInt(Number.MAX_SAFE_INTEGER)) return { error: budgetProblem(Number.MAX_SAFE_INTEGER, label, written)! };
  const thousandYen = Number(thousand);
  const problem = budgetProblem(thousandYen, label, written);
  if (problem) return { error: problem };
  return { thousandYen, estimate, unit: unit || unitFromLabel };
}

function unreadable(label: string, written: string): string {
  return `${label}「${written}」を読めません(「22,268千円」「65百万円」「5千4百万円」または「-」の形で書いてください)`;
}

/** Width, Kangxi look-alikes and spaces: "２２，２６８千円" and "⼗" read as "22,268千円" and "十". */
function normalize(text: string): string {
  return unifyRadicals(text)
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\u3000\u00a0]/g, ' ')
    .replace(/，|、/g, ',')
    .replace(/．/g, '.')
    .trim();
}

function balanced(inner: string): boolean {
  let depth = 0;
  for (const c of inner) {
    if (OPENERS.includes(c)) depth++;
    else if (CLOSERS.includes(c)) depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

/**
 * "22,268千円", "5千4百万円", "1億2千万円", "0.5百万円", "五千万円", "22268" → yen. Groups of 十百千
 * under each of 万億兆 in descending order, as Japanese numbers are written; a number before
 * 十百千 multiplies it ("65百万円" is 65 × 百万円), so the table shorthand reads exactly.
 */
function readAmount(t: string): { yen: bigint; unit: string } | { error: 'unreadable' | 'order' | 'fraction' } {
  const s = t.replace(/\s+/g, '');
  const m = /^([0-9.,〇零一二三四五六七八九十百千万億兆]+?)(円)?$/.exec(s);
  if (!m) return { error: 'unreadable' };
  const body = m[1]!;
  const hasYen = m[2] !== undefined;
  const lastDigit = Math.max(...[...body].map((c, i) => (/[0-9〇零一二三四五六七八九]/.test(c) ? i : -1)));
  if (lastDigit < 0) return { error: 'unreadable' };
  const unit = body.slice(lastDigit + 1) + (hasYen ? '円' : '');
  // A bare number is 千円 (the column's unit); "5千" without 円 is read as written in 円 units.
  const bare = unit === '';

  // Numbers are kept as value × 10^-scale so decimals stay exact.
  let total = 0n; // in units of 10^-scale yen
  let group = 0n;
  let scale = 0;
  let lastLarge = 10n ** 20n;
  let lastSmall = 10_000n;
  let pending: { value: bigint; scale: number } | undefined;
  /** Whether the current myriad group has any digits or 十百千 (0 is a value; nothing is not). */
  let groupWritten = false;
  const rescale = (to: number) => {
    if (to > scale) {
      const f = 10n ** BigInt(to - scale);
      total *= f;
      group *= f;
      scale = to;
    }
  };
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (/[0-9〇零一二三四五六七八九]/.test(c)) {
      if (pending) return { error: 'unreadable' };
      let j = i;
      while (j < body.length && /[0-9.,〇零一二三四五六七八九]/.test(body[j]!)) j++;
      const literal = body.slice(i, j);
      const num = readNumeral(literal);
      if (!num) return { error: 'unreadable' };
      pending = num;
      i = j;
      continue;
    }
    if (c in SMALL) {
      const mult = SMALL[c]!;
      if (mult >= lastSmall) return { error: 'order' };
      lastSmall = mult;
      const v = pending ?? { value: 1n, scale: 0 };
      rescale(v.scale);
      group += v.value * 10n ** BigInt(scale - v.scale) * mult;
      groupWritten = true;
      pending = undefined;
      i++;
      continue;
    }
    if (c in LARGE) {
      const mult = LARGE[c]!;
      if (mult >= lastLarge) return { error: 'order' };
      lastLarge = mult;
      if (pending) {
        rescale(pending.scale);
        group += pending.value * 10n ** BigInt(scale - pending.scale);
        groupWritten = true;
        pending = undefined;
      }
      if (!groupWritten) return { error: 'unreadable' };
      total += group * mult;
      group = 0n;
      groupWritten = false;
      lastSmall = 10_000n;
      i++;
      continue;
    }
    return { error: 'unreadable' };
  }
  if (pending) {
    rescale(pending.scale);
    group += pending.value * 10n ** BigInt(scale - pending.scale);
  }
  total += group;
  if (bare) total *= 1000n;
  const divisor = 10n ** BigInt(scale);
  if (total % divisor !== 0n) return { error: 'fraction' };
  return { yen: total / divisor, unit };
}

/** "22,268" / "0.5" / "五" → value × 10^-scale; undefined for misplaced commas or points. */
function readNumeral(literal: string): { value: bigint; scale: number } | undefined {
  const ascii = [...literal].map((c) => KANJI_DIGITS[c] ?? c).join('');
  if (!/^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/.test(ascii)) return undefined;
  const [int, frac = ''] = ascii.replace(/,/g, '').split('.');
  return { value: BigInt(int! + frac), scale: frac.length };
}

function formatYen(yen: bigint): string {
  return yen.toLocaleString('en-US');
}
