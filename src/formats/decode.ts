/**
 * Bytes → text as Japanese offices save it: UTF-8 (with or without BOM), Shift_JIS
 * (CP932), UTF-16 with BOM; CRLF and CR line endings become LF. Anything else (binary,
 * empty, cut off mid-character) is a clear error rather than mojibake.
 */

export type Encoding = 'utf-8' | 'shift_jis' | 'utf-16le' | 'utf-16be';

export type DecodeResult =
  | { ok: true; text: string; encoding: Encoding }
  | { ok: false; message: string; line?: number };

/** Larger than any real plan by two orders of magnitude; beyond it we refuse rather than parse. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

const MAGIC: { bytes: number[]; message: string }[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46], message: 'PDFファイルです(この経路ではPDFを読み込めません。hoshin convert・check・import と取り込み画面が読み込めます)' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], message: 'ZIP形式(Excel の .xlsx など)のファイルです。この形式の読み込みにはまだ対応していません' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], message: '旧形式の Office 文書(.xls/.doc)です。この形式には対応していません' },
];

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function decodeDocument(bytes: Uint8Array): DecodeResult {
  if (bytes.length === 0) return { ok: false, message: 'ファイルが空です' };
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    return { ok: false, message: `ファイルが大きすぎます(${(bytes.length / 1024 / 1024).toFixed(1)} MB、上限 ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB)` };
  }
  for (const m of MAGIC) if (startsWith(bytes, m.bytes)) return { ok: false, message: m.message };

  let decoded: { text: string; encoding: Encoding } | { ok: false; message: string; line?: number };
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    decoded = decodeUtf8(bytes.subarray(3));
  } else if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    const encoding: Encoding = bytes[0] === 0xff ? 'utf-16le' : 'utf-16be';
    try {
      decoded = { text: new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(2)), encoding };
    } catch {
      return { ok: false, message: `${encoding.toUpperCase()} として読めないバイト列があります` };
    }
  } else {
    if (bytes.includes(0)) return { ok: false, message: 'バイナリファイルです(テキストファイルではありません)' };
    decoded = decodeUtf8OrShiftJis(bytes);
  }
  if ('ok' in decoded) return decoded;

  const text = decoded.text.replace(/\r\n?/g, '\n');
  // Controls other than tab, LF, VT and FF (pdftotext's page break) never occur in a document.
  const control = /[\u0000-\u0008\u000e-\u001f\u007f]/.exec(text);
  if (control) {
    return {
      ok: false,
      message: `制御文字(U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()})が含まれています。バイナリファイルか、壊れたファイルです`,
      line: lineOf(text, control.index),
    };
  }
  if (text.trim() === '') return { ok: false, message: 'ファイルが空です(空白だけです)' };
  return { ok: true, text, encoding: decoded.encoding };
}

/**
 * The text when every byte is valid UTF-8. A U+FFFD written as such (EF BF BD) is a character
 * like any other: Hoshin's own JSON export writes one that a workbook cell or a JSON escape put
 * in a plan, and must read it back.
 */
function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function decodeUtf8(bytes: Uint8Array): { text: string; encoding: Encoding } | { ok: false; message: string; line?: number } {
  const valid = strictUtf8(bytes);
  if (valid !== undefined) return { text: valid, encoding: 'utf-8' };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const bad = text.indexOf('\uFFFD');
  if (bad < 0) return { text, encoding: 'utf-8' };
  if (bad >= text.length - 1 && isCutMidCharacter(bytes)) {
    return { ok: false, message: 'ファイルの末尾が文字の途中で切れています(文書が途中で切れています)', line: lineOf(text, bad) };
  }
  return { ok: false, message: 'UTF-8 として読めないバイト列があります', line: lineOf(text, bad) };
}

/** True when the only invalid UTF-8 is an incomplete sequence at the very end. */
function isCutMidCharacter(bytes: Uint8Array): boolean {
  for (let cut = 1; cut <= 3 && cut < bytes.length; cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, bytes.length - cut));
      return true;
    } catch {
      // try a shorter prefix
    }
  }
  return false;
}

function decodeUtf8OrShiftJis(bytes: Uint8Array): { text: string; encoding: Encoding } | { ok: false; message: string; line?: number } {
  const valid = strictUtf8(bytes);
  if (valid !== undefined) return { text: valid, encoding: 'utf-8' };
  const utf8 = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const replacements = countOf(utf8, '\uFFFD');
  if (replacements === 0) return { text: utf8, encoding: 'utf-8' };
  // Mostly valid UTF-8 with a few bad bytes (or a cut last character) is a damaged UTF-8 file, not Shift_JIS.
  const multibyte = countNonAscii(utf8) - replacements;
  if (multibyte >= replacements * 10 || isCutMidCharacter(bytes)) return decodeUtf8(bytes);
  try {
    return { text: new TextDecoder('shift_jis', { fatal: true }).decode(bytes), encoding: 'shift_jis' };
  } catch {
    // A Shift_JIS file whose last character lost its second byte reads cleanly without it.
    try {
      const text = new TextDecoder('shift_jis', { fatal: true }).decode(bytes.subarray(0, bytes.length - 1));
      return { ok: false, message: 'ファイルの末尾が文字の途中で切れています(文書が途中で切れています)', line: lineOf(text, text.length) };
    } catch {
      return { ok: false, message: '文字コードを判別できません(UTF-8 または Shift_JIS で保存してください)' };
    }
  }
}

function countOf(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

function countNonAscii(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) n++;
  return n;
}
