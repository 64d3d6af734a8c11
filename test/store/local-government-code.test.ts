import { describe, expect, it } from 'vitest';
import { checkDigit, isValidLocalGovernmentCode, withCheckDigit } from '../../src/store/local-government-code.ts';
import { OSAKA_CITY, OSAKA_WARDS } from '../../src/store/presets/osaka.ts';

describe('全国地方公共団体コード check digit', () => {
  it('matches published codes', () => {
    expect(withCheckDigit('27100')).toBe('271004'); // 大阪市
    expect(withCheckDigit('13101')).toBe('131016'); // 千代田区
    expect(withCheckDigit('01100')).toBe('011002'); // 札幌市
    expect(withCheckDigit('27140')).toBe('271403'); // 堺市
  });

  it('covers the remainders 0 and 1 (check digits 1 and 0)', () => {
    // 27102: 2·6+7·5+1·4+0·3+2·2 = 55, remainder 0 → 1.
    expect(checkDigit('27102')).toBe(1);
    // 27111: 12+35+4+3+2 = 56, remainder 1 → 0.
    expect(checkDigit('27111')).toBe(0);
  });

  it('rejects a wrong check digit, a wrong length and non-digits', () => {
    expect(isValidLocalGovernmentCode('271005')).toBe(false);
    expect(isValidLocalGovernmentCode('27100')).toBe(false);
    expect(isValidLocalGovernmentCode('27100x')).toBe(false);
    expect(() => checkDigit('2710')).toThrow(RangeError);
  });

  it('validates every code of the Osaka preset, all distinct, all in Osaka Prefecture (27) and under 27100', () => {
    const all = [OSAKA_CITY, ...OSAKA_WARDS];
    expect(OSAKA_WARDS).toHaveLength(24);
    for (const o of all) {
      expect(isValidLocalGovernmentCode(o.code), `${o.name} ${o.code}`).toBe(true);
      expect(o.code.startsWith('271')).toBe(true);
    }
    expect(new Set(all.map((o) => o.code)).size).toBe(25);
    expect(new Set(all.map((o) => o.slug)).size).toBe(25);
    // The wards merged in 1989 took new numbers: 北区 27127, 中央区 27128.
    expect(OSAKA_WARDS.find((w) => w.name === '北区')?.code).toBe('271276');
    expect(OSAKA_WARDS.find((w) => w.name === '中央区')?.code).toBe('271284');
    expect(OSAKA_WARDS.find((w) => w.name === '都島区')?.code).toBe('271021');
  });
});
