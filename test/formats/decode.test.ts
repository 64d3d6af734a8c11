import { describe, expect, it } from 'vitest';
import { decodeDocument, MAX_DOCUMENT_BYTES } from '../../src/formats/decode.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('decodeDocument', () => {
  it('strips a UTF-8 BOM and turns CRLF and CR into LF', () => {
    const r = decodeDocument(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('一\r\n二\r三')]));
    expect(r).toEqual({ ok: true, text: '一\n二\n三', encoding: 'utf-8' });
  });

  it('reads Shift_JIS (CP932), including its extensions', () => {
    // 「運営方針①」 in CP932: ① (0x8740) is a CP932 extension absent from plain Shift_JIS.
    const r = decodeDocument(new Uint8Array([0x89, 0x5e, 0x89, 0x63, 0x95, 0xfb, 0x90, 0x6a, 0x87, 0x40]));
    expect(r).toEqual({ ok: true, text: '運営方針①', encoding: 'shift_jis' });
  });

  it('refuses empty, blank, binary and oversized input', () => {
    expect(decodeDocument(new Uint8Array())).toMatchObject({ ok: false, message: expect.stringContaining('空') });
    expect(decodeDocument(utf8(' \n\t\n'))).toMatchObject({ ok: false, message: expect.stringContaining('空') });
    expect(decodeDocument(new Uint8Array([0x41, 0x00, 0x42]))).toMatchObject({ ok: false, message: expect.stringContaining('バイナリ') });
    expect(decodeDocument(new Uint8Array(MAX_DOCUMENT_BYTES + 1).fill(0x41))).toMatchObject({ ok: false, message: expect.stringContaining('大きすぎます') });
  });

  it('names PDF and Excel files for what they are', () => {
    expect(decodeDocument(utf8('%PDF-1.7\n'))).toMatchObject({ ok: false, message: expect.stringContaining('PDF') });
    expect(decodeDocument(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2]))).toMatchObject({ ok: false, message: expect.stringContaining('ZIP') });
  });

  it('says a file cut in the middle of a character is cut off', () => {
    const bytes = utf8('一行目\n二行目の途中');
    const r = decodeDocument(bytes.subarray(0, bytes.length - 1));
    expect(r).toMatchObject({ ok: false, line: 2, message: expect.stringContaining('途中で切れて') });
  });

  it('names the line of a stray control character', () => {
    expect(decodeDocument(utf8('一\n二\u0001\n'))).toMatchObject({ ok: false, line: 2 });
  });

  it('keeps form feeds (pdftotext page breaks)', () => {
    expect(decodeDocument(utf8('一\f二'))).toMatchObject({ ok: true });
  });
});

describe('decodeDocument on a Shift_JIS file cut off', () => {
  it('says it is cut off, naming the last line', () => {
    // 「運営\\n方針」 in CP932 with the last byte of 針 lost.
    const bytes = new Uint8Array([0x89, 0x5e, 0x89, 0x63, 0x0a, 0x95, 0xfb, 0x90]);
    expect(decodeDocument(bytes)).toMatchObject({ ok: false, line: 2, message: expect.stringContaining('途中で切れて') });
  });
});
