/**
 * Every text fixture, laid out as a PDF by a word processor would (running text wrapped at the
 * margin, tables bordered with wrapping cells, page numbers), reads into the same plan as the
 * text, with the same layout detected: a published PDF reads like its text, in every family.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocumentAsync, pdfjsResources, renderDocument } from '../../../src/formats/index.ts';
import { decodeDocument } from '../../../src/formats/decode.ts';
import { parseDocumentWithLayout } from '../../../src/formats/text/document.ts';
import { pdfFromLayoutText } from './make-pdf.ts';

const fixtures = 'test/fixtures/text';
/**
 * Not laid out again: this fixture is already a PDF's extraction (pdftotext's cells cut into
 * rows of their own, a tab before each continuation); drawing those cut rows as table rows
 * makes a table no word processor would.
 */
const ALREADY_EXTRACTED = new Set(['osaka-nishinari-2020-pdftotext.txt']);
const names = readdirSync(fixtures).filter((n) => n.endsWith('.txt') && !ALREADY_EXTRACTED.has(n));

describe.each(names)('%s as a PDF', (name) => {
  it('reads into the plan its text reads into, in the same layout', async () => {
    const bytes = readFileSync(join(fixtures, name));
    const decoded = decodeDocument(bytes);
    if (!decoded.ok) throw new Error(decoded.message);
    const fromText = parseDocumentWithLayout(bytes, name);
    const fromPdf = await parseDocumentAsync(await pdfFromLayoutText(decoded.text), name.replace(/\.txt$/, '.pdf'), { pdf: pdfjsResources() });
    if (!fromText.plan) {
      // A fixture its text does not read (yet): the PDF must not read either; lines differ, so errors are not compared.
      expect(fromPdf.plan).toBeUndefined();
      return;
    }
    expect(fromPdf.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(fromPdf.layout).toBe(fromText.layout);
    expect(fromPdf.plan && renderDocument(fromPdf.plan, 'json')).toBe(renderDocument(fromText.plan, 'json'));
  }, 60_000);
});
