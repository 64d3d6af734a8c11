/**
 * Real published pages, cut off after their first sections (test/fixtures/real/<family>/, each
 * with a hand-written *.expected.json): the header part that is there must read exactly as
 * expected. Errors are allowed only past the head's sections (the cut leaves later sections
 * missing or half there); nothing before them may be misread or refused.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeDocument } from '../../../src/formats/decode.ts';
import { parseText } from '../../../src/formats/text/parse.ts';
import { LAYOUT_NAMES } from '../../../src/formats/text/profiles/index.ts';

const root = 'test/fixtures/real';
const cases = existsSync(root)
  ? readdirSync(root).flatMap((family) =>
      readdirSync(join(root, family))
        .filter((n) => n.endsWith('.txt') && existsSync(join(root, family, n.replace(/\.txt$/, '.expected.json'))))
        .map((n) => ({ family, name: n })),
    )
  : [];

const FIELDS = ['organization', 'fiscalYear', 'documentStatus', 'head', 'goal', 'mission', 'policy'] as const;

describe.each(cases)('$family/$name', ({ family, name }) => {
  const decoded = decodeDocument(readFileSync(join(root, family, name)));
  if (!decoded.ok) throw new Error(decoded.message);
  const expected = JSON.parse(readFileSync(join(root, family, name.replace(/\.txt$/, '.expected.json')), 'utf8')) as Record<string, unknown>;
  // Sakai's titles have no year (it is only in the page's URL): the caller gives one, and the
  // excerpt's expectation has none to compare.
  const yearless = !('fiscalYear' in expected);
  const result = parseText(decoded.text, yearless ? { fiscalYear: 2023 } : {});
  const plan = result.partial;

  // Defined only where it applies, so a run counts no skipped test.
  if (yearless) it('without a fiscal year given, is refused at its title, naming what is missing', () => {
    const refused = parseText(decoded.text);
    expect(refused.plan).toBeUndefined();
    expect(refused.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', message: expect.stringContaining('年度がありません') }));
  });

  it('reads its title, organization, fiscal year, status, head, goal, mission and policy as written by hand', () => {
    expect(plan, JSON.stringify(result.diagnostics)).toBeDefined();
    const got: Record<string, unknown> = {};
    const want: Record<string, unknown> = {};
    for (const f of FIELDS) {
      if (!(f in expected)) continue;
      want[f] = expected[f];
      got[f] = plan![f];
    }
    expect(got).toEqual(want);
    if (typeof expected.title === 'string') expect(decoded.text).toContain(expected.title);
  });

  it('refuses nothing before the issues (errors only where the cut leaves later sections)', () => {
    const issuesLine = result.sourceMap.get('issues') ?? Number.MAX_SAFE_INTEGER;
    // A missing later section (◆自己評価) is what a cut document is: expected here.
    // So is an empty field the expectation leaves out (Sakai's goal is its last section, which the cut empties).
    const cut = (field: string | undefined) => field !== undefined && !(field.split(/[.[]/)[0]! in expected);
    const early = result.diagnostics.filter(
      (d) => d.severity === 'error' && d.line !== undefined && d.line < issuesLine && !d.message.includes('見出しがありません') && !cut(d.field),
    );
    expect(early).toEqual([]);
  });

  if (LAYOUT_NAMES.includes(family)) it('is detected as its family', () => {
    expect(result.layout).toBe(family);
  });
});
