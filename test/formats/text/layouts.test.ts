/** Layout profiles: which one each fixture is detected as, forcing one, and lines that fit no rule. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseText } from '../../../src/formats/text/parse.ts';

const read = (name: string) => readFileSync(`test/fixtures/text/${name}`, 'utf8');

describe('detection', () => {
  it.each([
    ['osaka-nishi-2017.txt', 'osaka-2017'],
    ['osaka-nishinari-2020-pdftotext.txt', 'osaka-2017'],
    ['osaka-suminoe-2024-wrapped.txt', 'osaka-2017'],
    ['osaka-minamihama-2021.txt', 'osaka-2020'],
    ['osaka-kitahama-2014.txt', 'osaka-2013'],
    ['osaka-kitahama-2014-web.txt', 'osaka-2013'],
    ['osaka-minamihama-2021-web.txt', 'osaka-2020'],
  ])('%s reads as %s', (name, layout) => {
    const r = parseText(read(name));
    expect(r.layout).toBe(layout);
    expect(r.plan).toBeDefined();
  });

  it('--layout forces a profile: the 2020 document read as the seed layout is refused, not misread', () => {
    const r = parseText(read('osaka-minamihama-2021.txt'), { layout: 'osaka-2017' });
    expect(r.layout).toBe('osaka-2017');
    expect(r.plan).toBeUndefined();
  });

  it('an unknown --layout is an error naming the layouts there are', () => {
    const r = parseText(read('osaka-nishi-2017.txt'), { layout: 'tokyo' });
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics[0]!.message).toContain('osaka-2017、osaka-2013、osaka-2020');
  });
});

describe('never misplace silently', () => {
  const doc = read('osaka-minamihama-2021.txt');
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('a bracketed line in 様式2 that is no issue, strategy or initiative is an error at its line', () => {
    const text = doc.replace('【主な戦略 街頭犯罪の抑止】', '【主要戦略 街頭犯罪の抑止】');
    const r = parseText(text);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: lineOf(text, '【主要戦略') }));
  });

  it('a bracketed line in the policy is an error at its line, not policy text', () => {
    const text = doc.replace('区将来ビジョンのもと、', '【南浜区政3本柱】\n区将来ビジョンのもと、');
    const r = parseText(text);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', line: lineOf(text, '【南浜区政3本柱】') }));
  });

  it('an unreadable initiative budget is an error at its line', () => {
    const text = doc.replace('(1,200千円)', '(1,2O0千円)');
    const r = parseText(text);
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics.some((d) => d.severity === 'error' && d.line === lineOf(text, '1,2O0'))).toBe(true);
  });
});
