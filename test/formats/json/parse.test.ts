import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/formats/index.ts';

// The golden file is what convert writes (/2); these read it as a /1 document.
const seedJson = readFileSync('test/fixtures/golden/osaka-nishi-2017.json', 'utf8').replace('"format": "hoshin-plan/2"', '"format": "hoshin-plan/1"');
const schema = JSON.parse(readFileSync('schema/hoshin-plan-1.schema.json', 'utf8'));
const parse = (text: string) => parseDocument(new TextEncoder().encode(text), 'plan.json');

describe('hoshin-plan/1 JSON', () => {
  it('the published schema accepts every golden file', () => {
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(JSON.parse(seedJson)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('reads its own output back', () => {
    const { plan, diagnostics } = parse(seedJson);
    expect(diagnostics).toEqual([]);
    expect(plan?.organization).toBe('西区');
  });

  it('detects JSON by content when the name does not say', () => {
    expect(parseDocument(new TextEncoder().encode(seedJson)).format).toBe('json');
  });

  it('ignores keys a later version adds', () => {
    const withExtra = { ...JSON.parse(seedJson), indicators: [], workflow: 'published' };
    const { plan } = parse(JSON.stringify(withExtra));
    expect(plan).toBeDefined();
    expect(Object.keys(plan!)).not.toContain('indicators');
  });

  it('names the line of a syntax error', () => {
    const broken = seedJson.replace('"fiscalYear": 2017,', '"fiscalYear": 2017');
    const { diagnostics, plan } = parse(broken);
    expect(plan).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ severity: 'error', line: 5 });
  });

  it('names the line of an unexpected token, on one line', () => {
    const unquoted = seedJson.replace('"organization": "西区"', '"organization": 西区');
    const { diagnostics } = parse(unquoted);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', line: 3 });
    expect(diagnostics[0]!.message).not.toContain('\n');
    // A text plan named .json: the first character is already wrong.
    expect(parse('\n令和元年度 北区運営方針\n\n(区長:田中 一郎)\n').diagnostics[0]).toMatchObject({ line: 2 });
  });

  it('names the line and field of every schema problem', () => {
    const bad = seedJson.replace('"fiscalYear": 2017', '"fiscalYear": "2017"').replace('"budgetThousandYen": 22268', '"budgetThousandYen": "22,268"');
    const { diagnostics } = parse(bad);
    expect(diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'fiscalYear', line: 4 }),
        expect.objectContaining({ field: 'issues[0].strategies[0].initiatives[0].budgetThousandYen', line: 28 }),
      ]),
    );
  });

  it('applies the plan rules: an initiative under a strategy its number does not name', () => {
    const { diagnostics } = parse(seedJson.replace('"number": "1-1-1"', '"number": "1-2-1"'));
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 26, message: expect.stringContaining('1-2-1') })]);
  });

  it('refuses another format version', () => {
    const { diagnostics } = parse(seedJson.replace('hoshin-plan/1', 'hoshin-plan/9'));
    expect(diagnostics[0]!.message).toContain('hoshin-plan/9');
  });
});

describe('format detection', () => {
  it('reads JSON saved under a .txt name as JSON', () => {
    const { format, plan } = parseDocument(new TextEncoder().encode(seedJson), 'plan.txt');
    expect(format).toBe('json');
    expect(plan?.organization).toBe('西区');
  });
});
