import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/formats/index.ts';

/** Each malformed fixture is refused (or warned about) with the line named. */
const cases: { file: string; refused: boolean; expected: { line?: number; message: string; severity?: 'error' | 'warning' }[] }[] = [
  { file: 'missing-title.txt', refused: true, expected: [{ line: 2, message: '表題' }] },
  { file: 'missing-goal.txt', refused: true, expected: [{ line: 1, message: '「区の目標」の見出しがありません' }] },
  { file: 'empty-goal.txt', refused: true, expected: [{ line: 7, message: '区の目標が空です' }] },
  { file: 'unknown-strategy.txt', refused: true, expected: [{ line: 32, message: '戦略1-3が、経営課題1の主な戦略にありません' }] },
  {
    file: 'duplicate-number.txt',
    refused: true,
    expected: [
      { line: 28, message: '戦略1-1の番号が重複しています' },
      { line: 31, message: '具体的取組1-1-1の番号が重複しています' },
    ],
  },
  { file: 'bad-amount.txt', refused: true, expected: [{ line: 30, message: '予算額「1,0O0千円」を読めません' }] },
  { file: 'budget-year-mismatch.txt', refused: false, expected: [{ line: 30, message: '30年度', severity: 'warning' }] },
  { file: 'unknown-era.txt', refused: true, expected: [{ line: 1, message: '年号「平正」' }] },
  { file: 'year-disagree.txt', refused: true, expected: [{ line: 1, message: '食い違っています' }] },
  { file: 'truncated.txt', refused: true, expected: [{ message: '途中で切れて' }] },
  { file: 'cut-in-heading.txt', refused: true, expected: [{ line: 32, message: '閉じ括弧' }] },
  { file: 'strategy-wrong-issue.txt', refused: true, expected: [{ line: 28, message: '経営課題1の下にあります' }] },
  { file: 'reform-heading-wrapped.txt', refused: true, expected: [{ line: 57, message: '様式3の表の見出し行があります' }] },
  { file: 'unreadable-row-number.txt', refused: true, expected: [{ line: 34, message: '【】の中の番号を読めません' }] },
  { file: 'issue-without-column-tab.txt', refused: true, expected: [{ line: 47, message: '経営課題4の概要と主な戦略の間に' }] },
];

describe.each(cases)('$file', ({ file, refused, expected }) => {
  const result = parseDocument(readFileSync(`test/fixtures/text/bad/${file}`), file);
  it(refused ? 'is refused' : 'is read, with warnings', () => {
    expect(result.plan === undefined).toBe(refused);
  });
  it.each(expected)('reports line $line: $message', ({ line, message, severity }) => {
    const match = result.diagnostics.find((d) => d.message.includes(message) && (line === undefined || d.line === line));
    expect(match, JSON.stringify(result.diagnostics)).toBeDefined();
    expect(match!.severity).toBe(severity ?? 'error');
  });
});

describe('every problem is reported, not only the first', () => {
  it('reports an unreadable amount and a duplicate number in one pass', () => {
    const text = readFileSync('test/fixtures/text/bad/duplicate-number.txt', 'utf8').replace('1,000千円', 'たくさん千円');
    const { diagnostics } = parseDocument(new TextEncoder().encode(text));
    expect(diagnostics.filter((d) => d.severity === 'error').length).toBeGreaterThanOrEqual(2);
  });
});

describe('budgets below 0', () => {
  const seed = readFileSync('test/fixtures/text/osaka-nishi-2017.txt', 'utf8');
  const withAmount = (amount: string) =>
    parseDocument(new TextEncoder().encode(seed.replace('(29年度予算額 22,268千円)', `(29年度予算額 ${amount})`))).diagnostics.filter((d) => d.severity === 'error');

  it.each(['-5千円', '－５千円', '△5千円', '▲1,000千円'])('%s is refused as negative, with the message the editor gives', (amount) => {
    expect(withAmount(amount)).toEqual([{ severity: 'error', line: 30, message: `具体的取組1-1-1の予算額は0以上の数で入力してください(現在 「${amount}」)` }]);
  });

  it('names the 区CM budget when it is the negative one', () => {
    const text = seed.replace('(29年度予算額 22,268千円)', '(29年度予算額 22,268千円)(区CM予算額 -3千円)');
    const found = parseDocument(new TextEncoder().encode(text)).diagnostics.filter((d) => d.severity === 'error');
    expect(found.map((d) => d.message)).toEqual(['具体的取組1-1-1の区CM予算額は0以上の数で入力してください(現在 「-3千円」)']);
  });

  it('still calls "-" no budget, and "-0千円" or "-x千円" unreadable', () => {
    expect(withAmount('-')).toEqual([]);
    expect(withAmount('-0千円').map((d) => d.message)).toEqual([expect.stringContaining('を読めません')]);
    expect(withAmount('-x千円').map((d) => d.message)).toEqual([expect.stringContaining('を読めません')]);
  });
});
