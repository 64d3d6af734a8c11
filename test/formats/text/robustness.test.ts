import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument, renderDocument } from '../../../src/formats/index.ts';

/**
 * Inputs under the size limit that once hung the text reader (regexes cubic or quadratic in a
 * run of spaces, a row's line lookup quadratic in its lines) or crashed it (push(...) with more
 * arguments than the stack holds). Each must end, with a plan or located errors, well inside
 * the timeout; how fast is measured in bench/, not here.
 */
const seed = readFileSync('test/fixtures/text/osaka-nishi-2017.txt', 'utf8');
const bytes = (text: string) => new TextEncoder().encode(text);
const TIMEOUT = 15_000;
const spaces = (n: number) => ' '.repeat(n);

function readsOrRefuses(text: string) {
  const result = parseDocument(bytes(text), 'plan.txt');
  if (!result.plan) expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  return result;
}

describe('pathological documents end, with a plan or located errors', () => {
  it('a title-like first line with a long run of spaces', { timeout: TIMEOUT }, () => {
    const result = readsOrRefuses(`平成29年度 ${spaces(3000)}x\n${seed}`);
    expect(result.plan?.organization).toBe('西区');
  });

  it('a head line with a long run of spaces', { timeout: TIMEOUT }, () => {
    readsOrRefuses(seed.replace('(区長:高野 賢)', `(区長:${spaces(300_000)}x`));
  });

  it('a paragraph line with a long run of spaces inside', { timeout: TIMEOUT }, () => {
    const result = readsOrRefuses(seed.replace('- ・日常生活における', `- ・日常生活${spaces(2_000_000)}x\nにおける`));
    // Read to its end as one bullet (the wrapped line joined), then refused by the limit on a mission item.
    expect(result.diagnostics).toContainEqual({
      severity: 'error',
      field: 'mission[1]',
      line: 13,
      message: '区の使命の2番目の項目は1,000文字以内にしてください(現在 2,000,017文字)',
    });
  });

  it('a budget label with a long run of spaces', { timeout: TIMEOUT }, () => {
    const result = readsOrRefuses(seed.replace('(29年度予算額 22,268千円)', `(29年度予算額 ${spaces(1_000_000)}22,268千円)`));
    expect(result.diagnostics.find((d) => d.severity === 'error')?.line).toBe(30);
  });

  it('an issue row continued over 60,000 lines, each naming a strategy', { timeout: TIMEOUT }, () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => `続き 【1-${i + 2} 題】 説明`).join('\n');
    readsOrRefuses(seed.replace('コーディネートを積極的に行う。\n', `コーディネートを積極的に行う。\n${rows}\n`));
  });

  it('more problems than a call has room for arguments', { timeout: TIMEOUT }, () => {
    // Rows whose number cannot be read: one error each, found by the reader before any limit
    // applies (validatePlan stops at a list's limit, so it no longer makes this many).
    const unreadable = '【1〜1〜1 題】\n'.repeat(300_000);
    const result = readsOrRefuses(seed.replace('【1-1-1', `${unreadable}【1-1-1`));
    expect(result.diagnostics.length).toBeGreaterThanOrEqual(300_000);
    expect(result.diagnostics[300_000 - 1]).toMatchObject({ severity: 'error', line: 30 + 300_000 - 1, message: expect.stringContaining('番号を読めません') });
  });

  it('100,000 issues and 100,000 initiatives naming an issue that is not there', { timeout: TIMEOUT }, () => {
    // Each initiative once searched every issue for its number: 10^10 comparisons.
    const lines = seed.split('\n');
    const end = lines.findIndex((l) => l.startsWith('【4-2-2'));
    const issues = Array.from({ length: 100_000 }, (_, i) => `【経営課題${1_000_000 + i} 題】概要`);
    const initiatives = Array.from({ length: 100_000 }, (_, k) => `【5-1-${k + 1} 取組】`);
    const text = [...lines.slice(0, end + 1), ...issues, ...initiatives, ...lines.slice(end + 1)].join('\n');
    const result = readsOrRefuses(text);
    const missing = result.diagnostics.filter((d) => /^具体的取組5-1-\d+の経営課題5がありません$/.test(d.message));
    expect(missing).toHaveLength(100_000);
    expect(missing[0]!.line).toBe(end + 1 + 100_000 + 1);
  });

  it('renders a plan with more items than a call has room for arguments', { timeout: TIMEOUT }, () => {
    const { plan } = parseDocument(bytes(seed));
    const big = { ...plan!, mission: Array.from({ length: 300_000 }, (_, i) => `使命${i}`), goal: Array.from({ length: 300_000 }, (_, i) => `目標${i}`).join('\n') };
    expect(renderDocument(big, 'text').length).toBeGreaterThan(3_000_000);
  });
});
