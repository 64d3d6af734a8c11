/** Damaged and hostile PDFs: whatever the bytes, a plan or Japanese errors, never a throw. */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocumentAsync, pdfjsResources } from '../../../src/formats/index.ts';
import { pdfFromLayoutText } from './make-pdf.ts';

const pdf = pdfjsResources();
let seedPdf: Uint8Array;
beforeAll(async () => {
  seedPdf = await pdfFromLayoutText(readFileSync('test/fixtures/text/osaka-nishi-2017.txt', 'utf8'));
}, 60_000);

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('PDF bytes damaged at random', () => {
  it('read into a plan or into errors in Japanese', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 40 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (edits, cut) => {
          const bytes = seedPdf.slice(0, cut === undefined ? undefined : 5 + (cut % seedPdf.length));
          for (const { at, byte } of edits) bytes[5 + (at % Math.max(1, bytes.length - 5))] = byte;
          const result = await parseDocumentAsync(bytes, 'plan.pdf', { pdf });
          expect(result.format).toBe('pdf');
          if (!result.plan) {
            const errors = result.diagnostics.filter((d) => d.severity === 'error');
            expect(errors.length).toBeGreaterThan(0);
            for (const e of errors) expect(e.message).toMatch(JAPANESE);
          }
        },
      ),
      { numRuns: 25, seed: 9 },
    );
  }, 120_000);

  it('a header and nothing else, or a header before random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (tail) => {
        const bytes = new Uint8Array([...new TextEncoder().encode('%PDF-1.4\n'), ...tail]);
        const result = await parseDocumentAsync(bytes, undefined, { pdf });
        expect(result.plan).toBeUndefined();
        expect(result.diagnostics[0]!.message).toMatch(JAPANESE);
      }),
      { numRuns: 40, seed: 9 },
    );
  }, 120_000);
});
