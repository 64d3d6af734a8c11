import { describe, expect, it } from 'vitest';
import {
  eraOfFiscalYear,
  formatFiscalYearBoth,
  formatFiscalYearJapanese,
  formatShortFiscalYear,
  gregorianFromEra,
  shortYearMatches,
} from '../../src/domain/fiscal-year.ts';

describe('和暦 → 西暦', () => {
  it.each([
    ['昭和', 63, 1988],
    ['平成', 1, 1989],
    ['平成', 29, 2017],
    ['平成', 31, 2019],
    ['令和', 1, 2019],
    ['令和', 8, 2026],
    ['大正', 15, 1926],
  ])('%s%i年度 is %i', (era, year, expected) => expect(gregorianFromEra(era, year)).toBe(expected));

  it('平成31年度 and 令和元年度 are the same year', () => {
    expect(gregorianFromEra('平成', 31)).toBe(gregorianFromEra('令和', 1));
  });

  it('refuses unknown eras and year 0', () => {
    expect(gregorianFromEra('平正', 3)).toBeUndefined();
    expect(gregorianFromEra('令和', 0)).toBeUndefined();
  });
});

describe('西暦 → 和暦', () => {
  it.each([
    [1988, '昭和63年度'],
    [1989, '平成元年度'],
    [2017, '平成29年度'],
    [2018, '平成30年度'],
    [2019, '令和元年度'],
    [2020, '令和2年度'],
  ])('%i is %s', (fy, text) => expect(formatFiscalYearJapanese(fy)).toBe(text));

  it('short labels as budgets repeat them', () => {
    expect(formatShortFiscalYear(2017)).toBe('29年度');
    expect(formatShortFiscalYear(2019)).toBe('元年度');
  });

  it('both forms for titles', () => expect(formatFiscalYearBoth(2017)).toBe('平成29年度(2017年度)'));

  it('every year round-trips through its era', () => {
    for (let fy = 1927; fy <= 2100; fy++) {
      const { era, year } = eraOfFiscalYear(fy);
      expect(gregorianFromEra(era, year)).toBe(fy);
    }
  });

  it('a short label may name either era of the year of an era change', () => {
    expect(shortYearMatches(31, 2019)).toBe(true);
    expect(shortYearMatches(1, 2019)).toBe(true);
    expect(shortYearMatches(30, 2019)).toBe(false);
    expect(shortYearMatches(2019, 2019)).toBe(true);
  });
});
