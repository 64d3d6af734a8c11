import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument, parseDocumentAsync, pdfjsResources, renderDocument, type ParseResult } from '../../../src/formats/index.ts';
import { extractPdfText, isPdf } from '../../../src/formats/pdf/extract.ts';
import { parseDocumentWithLayout } from '../../../src/formats/text/document.ts';
import { imageOnlyPdf, pdfFromLayoutText, pdfFromRuns } from './make-pdf.ts';

const pdf = pdfjsResources();
const seedText = readFileSync('test/fixtures/text/osaka-nishi-2017.txt', 'utf8');
const seedGolden = readFileSync('test/fixtures/golden/osaka-nishi-2017.json', 'utf8');
const errors = (r: ParseResult) => r.diagnostics.filter((d) => d.severity === 'error');

// pdfjs and the font take a moment to load the first time.
const SLOW = 60_000;

describe('a published PDF of the seed (pdfkit, Noto Sans JP, bordered two-column tables, page numbers)', () => {
  let bytes: Uint8Array;
  beforeAll(async () => {
    bytes = await pdfFromLayoutText(seedText);
  }, SLOW);

  it('is a PDF by its bytes, whatever its name', () => {
    expect(isPdf(bytes)).toBe(true);
    expect(isPdf(new TextEncoder().encode(seedText))).toBe(false);
  });

  it('reads into the same plan as its text (the golden JSON, byte for byte)', async () => {
    for (const name of ['osaka-nishi-2017.pdf', 'plan.txt', undefined]) {
      const result = await parseDocumentAsync(bytes, name, { pdf });
      expect(result.format).toBe('pdf');
      expect(errors(result)).toEqual([]);
      expect(renderDocument(result.plan!, 'json')).toBe(seedGolden);
      expect(result.layout).toBe(parseDocumentWithLayout(new TextEncoder().encode(seedText)).layout);
    }
  }, SLOW);

  it('extracts lines in reading order: table rows as 概要 ⇥ 戦略, wrapped cells joined, page numbers dropped', async () => {
    const r = await extractPdfText(bytes, pdf);
    if (!r.ok) throw new Error(r.message);
    expect(r.pages).toBeGreaterThan(1);
    const lines = r.text.split('\n');
    expect(lines[0]).toBe('平成29年度 西区運営方針(案)');
    expect(lines).toContain('経営課題の概要\t主な戦略');
    const issue1 = lines.find((l) => l.startsWith('【経営課題1 '))!;
    expect(issue1.split('\t')).toHaveLength(2);
    expect(issue1.split('\t')[1]).toMatch(/^【1-1 地域活動協議会の活動支援】 .*コーディネートを積極的に行う。$/);
    // The 1-1-1 row starts a page: its cell is still read as one row.
    expect(lines.find((l) => l.startsWith('【1-1-1 '))).toMatch(/^【1-1-1 地域活動協議会の活動支援】\(29年度予算額 22,268千円\) 自律的な地域運営.*場を提供する。$/);
    expect(lines).toContain('未収金対策の強化\t国民健康保険料の収入を確保するため、口座振替の勧奨やきめ細やかな納付相談、納付督促に取組むとともに、滞納処分による強制徴収の取組みを強化する。');
    expect(lines.filter((l) => /^-\s*\d+\s*-$/.test(l))).toEqual([]);
    // Mission items stay one a line; the policy's paragraph is joined where the PDF wrapped it.
    expect(lines).toContain('- ・日常生活における安全と安心の提供');
    expect(lines.find((l) => l.startsWith('区のブランド力'))).toMatch(/組織力アップを旨とする。$/);
  }, SLOW);

  it('reads the same whatever the table is drawn like (a wider first column, a larger font)', async () => {
    for (const options of [{ firstColumn: 260 }, { fontSize: 12, firstColumn: 180 }]) {
      const result = await parseDocumentAsync(await pdfFromLayoutText(seedText, options), 'plan.pdf', { pdf });
      expect(errors(result)).toEqual([]);
      expect(renderDocument(result.plan!, 'json')).toBe(seedGolden);
    }
  }, SLOW);
});

describe('PDFs that cannot be read get a Japanese error, never a crash', () => {
  const only = async (bytes: Uint8Array) => {
    const result = await parseDocumentAsync(bytes, 'plan.pdf', { pdf });
    expect(result.plan).toBeUndefined();
    expect(result.format).toBe('pdf');
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]!.severity).toBe('error');
    return result.diagnostics[0]!.message;
  };

  it('a corrupt PDF: garbage after the header', async () => {
    expect(await only(new TextEncoder().encode('%PDF-1.7\nこれはPDFではありません\n%%EOF\n'))).toBe(
      'PDFファイルが壊れているため読めません(PDFを保存し直すか、テキストに変換したファイルを取り込んでください)',
    );
  }, SLOW);

  it('a PDF cut off in the middle reads what is left or says why not', async () => {
    const whole = await pdfFromLayoutText(seedText);
    for (const cut of [16, 200, Math.floor(whole.length / 2)]) {
      const message = await only(whole.slice(0, cut));
      expect(message).toMatch(/PDF|見出し|見つかりません|ありません/);
    }
  }, SLOW);

  it('an encrypted PDF (a password to open it)', async () => {
    expect(await only(await pdfFromLayoutText(seedText, { userPassword: 'secret' }))).toBe(
      'PDFにパスワードが設定されているため読めません(パスワードを外したPDFか、テキストに変換したファイルを取り込んでください)',
    );
  }, SLOW);

  it('an image-only PDF (a scan)', async () => {
    expect(await only(await imageOnlyPdf())).toBe(
      'PDFに文字がありません(スキャンした画像だけのPDFのようです。文字を選択できるPDFか、テキストに変換したファイルを取り込んでください)',
    );
  }, SLOW);

  it('the synchronous parseDocument names a PDF rather than reading it as mojibake', async () => {
    const result = parseDocument(await imageOnlyPdf(), 'plan.pdf');
    expect(result.plan).toBeUndefined();
    expect(errors(result)[0]!.message).toContain('PDFファイルです');
  }, SLOW);

  it('parseDocumentAsync without pdfjs resources refuses a PDF instead of fetching anything', async () => {
    const result = await parseDocumentAsync(await imageOnlyPdf(), 'plan.pdf');
    expect(errors(result)[0]!.message).toContain('PDF');
  }, SLOW);

  it('non-PDF bytes read as parseDocumentWithLayout reads them (text with its layout, JSON)', async () => {
    const bytes = new TextEncoder().encode(seedText);
    expect(await parseDocumentAsync(bytes, 'plan.txt', { pdf })).toEqual(parseDocumentWithLayout(bytes, 'plan.txt'));
    const json = new TextEncoder().encode(seedGolden);
    expect(await parseDocumentAsync(json, 'plan.json', { pdf })).toEqual(parseDocument(json, 'plan.json'));
  });
});

describe('a paragraph running over a page break', () => {
  it('continues on the next page when the last line reached the margin, and the page number is dropped', async () => {
    const full = 'あ'.repeat(47);
    const bytes = await pdfFromRuns([
      [
        { x: 50, y: 50, text: '区の目標(何をめざすのか)' },
        { x: 50, y: 80, text: full },
        { x: 50, y: 96, text: full },
        { x: 280, y: 800, text: '- 1 -', size: 9 },
      ],
      [
        { x: 50, y: 50, text: 'いうえお。' },
        { x: 50, y: 80, text: '短い行' },
        { x: 280, y: 800, text: '2', size: 9 },
      ],
    ]);
    const r = await extractPdfText(bytes, pdf);
    // Page 2 starts on line 3, inside the paragraph it continues.
    expect(r).toEqual({ ok: true, pages: 2, text: `区の目標(何をめざすのか)\n\n${full}${full}いうえお。\n\n短い行\n`, pageStarts: [1, 3] });
  }, SLOW);
});
