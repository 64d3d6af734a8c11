import { describe, expect, it } from 'vitest';
import { parseBudgetAmount } from '../../src/formats/budget-units.ts';

/** [as written, 千円, estimate, unit] — shapes from Osaka's published forms of 2013–2026. */
const READS: [string, number, boolean, string][] = [
  ['22,268千円', 22_268, false, '千円'],
  ['２２，２６８千円', 22_268, false, '千円'],
  ['22268', 22_268, false, ''],
  ['22268千円', 22_268, false, '千円'],
  ['22, 268千円', 22_268, false, '千円'],
  ['46千円', 46, false, '千円'],
  ['0千円', 0, false, '千円'],
  ['0', 0, false, ''],
  ['65百万円', 65_000, false, '百万円'],
  ['６５百万円', 65_000, false, '百万円'],
  ['1,234百万円', 1_234_000, false, '百万円'],
  ['5千4百万円', 54_000, false, '百万円'],
  ['５千４百万円', 54_000, false, '百万円'],
  ['1億2千万円', 120_000, false, '千万円'],
  ['1億2,345万円', 123_450, false, '万円'],
  ['12億3456万7千円', 1_234_567, false, '千円'],
  ['3億円', 300_000, false, '億円'],
  ['0.5百万円', 500, false, '百万円'],
  ['1.25億円', 125_000, false, '億円'],
  ['5,400万円', 54_000, false, '万円'],
  ['22,268,000円', 22_268, false, '円'],
  ['一億二千万円', 120_000, false, '千万円'],
  ['五千四百万円', 54_000, false, '百万円'],
  ['千二百万円', 12_000, false, '百万円'],
  ['二十万円', 200, false, '十万円'],
  ['5千円', 5, false, '千円'],
  ['5千', 5, false, '千'],
  // Kangxi look-alikes from PDF text (⼀ U+2F00, ⼋ U+2F0B, ⼗ U+2F17).
  ['⼀億⼆千万円', 120_000, false, '千万円'],
  ['5千⼋百万円', 58_000, false, '百万円'],
  ['⼆⼗万円', 200, false, '十万円'],
  // Labels and brackets around the amount.
  ['(29年度予算額 22,268千円)', 22_268, false, '千円'],
  ['（29年度予算額　22,268千円）', 22_268, false, '千円'],
  ['29年度予算額 22,268千円', 22_268, false, '千円'],
  ['(4年度予算額) 77,800千円', 77_800, false, '千円'],
  ['（４年度予算額）77,800千円', 77_800, false, '千円'],
  ['令和5年度予算額 5千4百万円', 54_000, false, '百万円'],
  ['令和５年度予算額　65百万円', 65_000, false, '百万円'],
  ['令和元年度予算額 3億円', 300_000, false, '億円'],
  ['平成25年度予算額:263千円', 263, false, '千円'],
  ['R6年度予算額 1,200千円', 1_200, false, '千円'],
  ['予算額 263千円', 263, false, '千円'],
  ['[予算額 263千円]', 263, false, '千円'],
  ['【予算額 263千円】', 263, false, '千円'],
  ['29年度区CM予算額13,738千円', 13_738, false, '千円'],
  ['予算額(千円) 22,268', 22_268, false, '千円'],
  ['(単位:千円) 22,268', 22_268, false, '千円'],
  // Estimates.
  ['算定見込額 263千円', 263, true, '千円'],
  ['[算定見込額 263千円]', 263, true, '千円'],
  ['［算定見込額　２６３千円］', 263, true, '千円'],
  ['(算定見込額 1,500千円)', 1_500, true, '千円'],
  ['26年度算定見込額 263千円', 263, true, '千円'],
  ['263千円(見込)', 263, true, '千円'],
  ['約5千万円', 50_000, true, '千万円'],
];

const NONE = ['-', '－', '―', 'ー', '‐', '—', '−', '--', '(29年度予算額 -)', '29年度予算額 -', '（29年度予算額　－）', '[予算額 ―]', 'なし', '-千円'];

/** [as written, the error must contain] */
const ERRORS: [string, string][] = [
  ['△5千円', '0以上の数で入力してください(現在 「△5千円」)'],
  ['▲5千円', '0以上の数で入力してください(現在 「▲5千円」)'],
  ['-5千円', '0以上の数で入力してください(現在 「-5千円」)'],
  ['－５千円', '0以上の数で入力してください(現在 「－５千円」)'],
  ['△1億円', '0以上の数で入力してください'],
  ['(29年度予算額 △263千円)', '0以上の数で入力してください'],
  ['500円', '千円単位の整数になりません(500円)'],
  ['1.5千円', '千円単位の整数になりません(1,500円)'],
  ['0.0005百万円', '千円単位の整数になりません(500円)'],
  ['22,268.5千円', '千円単位の整数になりません'],
  ['0.001円', '1円未満の端数があります'],
  ['100兆円', '大きすぎます'],
  ['5百4千万円', '単位の順序が正しくありません'],
  ['5万3億円', '単位の順序が正しくありません'],
  ['22,26千円', 'を読めません'],
  ['二十二千円', '単位の順序が正しくありません'],
  ['5ドル', 'を読めません'],
  ['未定', 'を読めません'],
  ['千円', 'を読めません'],
  ['22,268千円 13,738千円', 'を読めません'],
  ['(29年度予算額 22,268千円)(29年度区CM予算額13,738千円)', 'を読めません'],
  ['(4年度予算額)', '書かれていません'],
  ['', '書かれていません'],
  ['  ', '書かれていません'],
  ['算定見込額', '書かれていません'],
  ['1..5千円', 'を読めません'],
  ['△', 'を読めません'],
];

describe('parseBudgetAmount', () => {
  it.each(READS)('%s → %i千円', (written, thousandYen, estimate, unit) => {
    expect(parseBudgetAmount(written)).toEqual({ thousandYen, estimate, unit });
  });

  it.each(NONE)('%s is no budget', (written) => {
    expect(parseBudgetAmount(written)).toBeNull();
  });

  it.each(ERRORS)('%s is refused', (written, message) => {
    const r = parseBudgetAmount(written);
    expect(r).toHaveProperty('error');
    expect((r as { error: string }).error).toContain(message);
  });

  it('names the amount in its messages', () => {
    expect(parseBudgetAmount('△5千円', '具体的取組1-1-1の予算額')).toEqual({
      error: '具体的取組1-1-1の予算額は0以上の数で入力してください(現在 「△5千円」)',
    });
    expect(parseBudgetAmount('未定', '経営課題1の予算額')).toEqual({
      error: '経営課題1の予算額「未定」を読めません(「22,268千円」「65百万円」「5千4百万円」または「-」の形で書いてください)',
    });
  });

  it('is exact where floating point is not (0.1 + 0.2)', () => {
    expect(parseBudgetAmount('0.3百万円')).toEqual({ thousandYen: 300, estimate: false, unit: '百万円' });
    expect(parseBudgetAmount('0.07億円')).toEqual({ thousandYen: 7_000, estimate: false, unit: '億円' });
    expect(parseBudgetAmount('99,999,999,999千円')).toEqual({ thousandYen: 99_999_999_999, estimate: false, unit: '千円' });
  });
});

describe('parseBudgetAmount on any input', () => {
  it('never throws: a number, null or an error', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789,.千百十万億兆円-△▲()【】[]予算額算定見込年度令和 ０１２３４５６７８９，一二三四五〇⼆⼗'.split('')), maxLength: 30 }), (s) => {
        const r = parseBudgetAmount(s);
        if (r === null) return;
        if ('error' in r) expect(r.error).toMatch(/予算額/);
        else expect(Number.isSafeInteger(r.thousandYen) && r.thousandYen >= 0).toBe(true);
      }),
      { numRuns: 2000, seed: 9 },
    );
  });

  it('reads every whole 千円 amount back exactly in each unit it can be written in', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), (n) => {
        expect(parseBudgetAmount(`${n.toLocaleString('en-US')}千円`)).toMatchObject({ thousandYen: n });
        expect(parseBudgetAmount(`${n}`)).toMatchObject({ thousandYen: n });
        expect(parseBudgetAmount(`${(BigInt(n) * 1000n).toLocaleString('en-US')}円`)).toMatchObject({ thousandYen: n });
        // 百万円 with up to three decimals is exact.
        const millions = `${Math.floor(n / 1000)}.${String(n % 1000).padStart(3, '0')}百万円`;
        expect(parseBudgetAmount(millions)).toMatchObject({ thousandYen: n });
        // Japanese grouping: 億, 万, then the rest in 千円 (as 1億2,345万6千円).
        const yen = BigInt(n) * 1000n;
        const oku = yen / 100_000_000n;
        const man = (yen % 100_000_000n) / 10_000n;
        const sen = (yen % 10_000n) / 1000n;
        const written = `${oku > 0n ? `${oku}億` : ''}${man > 0n ? `${man}万` : ''}${sen > 0n ? `${sen}千` : ''}円`;
        if (n > 0) expect(parseBudgetAmount(written)).toMatchObject({ thousandYen: n });
      }),
      { numRuns: 1000, seed: 9 },
    );
  });
});
