import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument, renderDocument, toPlanJson } from '../../../src/formats/index.ts';

const fixtures = 'test/fixtures/text';
const golden = 'test/fixtures/golden';
const names = readdirSync(fixtures).filter((n) => n.endsWith('.txt'));
const encode = (s: string) => new TextEncoder().encode(s);

describe.each(names)('fixture %s', (name) => {
  const base = name.replace(/\.txt$/, '');
  const result = parseDocument(readFileSync(join(fixtures, name)), name);

  it('parses with no errors into the golden JSON (hoshin-plan/2, what convert writes; /2 keys where the layout has them)', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const want = readFileSync(join(golden, `${base}.json`), 'utf8');
    expect(renderDocument(result.plan!, 'json')).toBe(want);
    // /1 is the same document under its own format tag, without the /2 keys.
    expect(toPlanJson(result.plan!)).toEqual(toPlanJson(parseDocument(encode(want), 'golden.json').plan!));
  });

  it('renders the golden text layout', () => {
    expect(renderDocument(result.plan!, 'text')).toBe(readFileSync(join(golden, `${base}.rendered.txt`), 'utf8'));
  });

  it('round-trips text → JSON → text → JSON losslessly (the seed\'s text layout holds all but the /2 keys)', () => {
    const json1 = renderDocument(result.plan!, 'json');
    const fromJson = parseDocument(encode(json1), 'plan.json');
    expect(fromJson.diagnostics).toEqual([]);
    expect(fromJson.plan).toEqual(result.plan);
    const text = renderDocument(fromJson.plan!, 'text');
    const again = parseDocument(encode(text), 'plan.txt');
    expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const withoutV2 = parseDocument(encode(renderDocument(result.plan!, 'json1')), 'plan.json').plan!;
    expect(renderDocument(again.plan!, 'json')).toBe(renderDocument(withoutV2, 'json'));
    expect(again.plan).toEqual(withoutV2);
  });
});

describe('a full hoshin-plan/2 document (test/fixtures/json/)', () => {
  const fixture = readFileSync('test/fixtures/json/osaka-nishi-2017-pdca.json', 'utf8');
  it('reads with no diagnostics and writes back the same bytes', () => {
    const r = parseDocument(encode(fixture), 'plan.json');
    expect(r.diagnostics).toEqual([]);
    expect(renderDocument(r.plan!, 'json')).toBe(fixture);
  });
  it('as /1 and as text it loses only the /2 keys: back from either, it is the seed', () => {
    const plan = parseDocument(encode(fixture), 'plan.json').plan!;
    const seed = readFileSync(join(golden, 'osaka-nishi-2017.json'), 'utf8');
    expect(renderDocument(parseDocument(encode(renderDocument(plan, 'json1')), 'a.json').plan!, 'json')).toBe(seed);
    expect(renderDocument(parseDocument(encode(renderDocument(plan, 'text')), 'a.txt').plan!, 'json')).toBe(seed);
  });
});

describe('the seed in other encodings and extractions', () => {
  const seed = readFileSync(join(golden, 'osaka-nishi-2017.json'), 'utf8');
  it.each(names.filter((n) => n.startsWith('osaka-nishi-2017-')))('%s reads as the seed', (name) => {
    expect(readFileSync(join(golden, name.replace(/\.txt$/, '.json')), 'utf8')).toBe(seed);
  });
});
