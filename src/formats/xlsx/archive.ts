/**
 * Checks an .xlsx (a zip) before exceljs opens it. exceljs inflates every part into memory, so
 * a small file that inflates to gigabytes (a zip bomb), or a sheet of a million rows, would
 * exhaust the server before any check of ours ran. Here the zip's own directory is read, every
 * part is inflated with a cap on its output (node:zlib's maxOutputLength: a part that grows
 * past what its header declares is refused at that point, not after), and the rows of each
 * worksheet are counted, all within limits far above any real plan's workbook.
 */
import { inflateRawSync } from 'node:zlib';
import { formatCount } from '../../domain/limits.ts';
import { MAX_DOCUMENT_BYTES } from '../decode.ts';

export const XLSX_LIMITS = {
  /** The file as uploaded: the same cap as every other document. */
  bytes: MAX_DOCUMENT_BYTES,
  /** All parts inflated. A plan at every limit with 50,000 measurements makes about 15 MB. */
  inflatedBytes: 64 * 1024 * 1024,
  /** Parts in the zip: a workbook of ours has about 20. */
  entries: 1_000,
  /** Rows of one worksheet: 測定値 may hold 50,000 measurements; a 様式 sheet at every limit has about 20,000 rows. */
  rows: 60_000,
} as const;

export type ArchiveCheck = { ok: true } | { ok: false; message: string; sheet?: string };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export function checkXlsxArchive(bytes: Uint8Array): ArchiveCheck {
  if (bytes.length === 0) return { ok: false, message: 'ファイルが空です' };
  if (bytes.length > XLSX_LIMITS.bytes) return { ok: false, message: `ファイルが大きすぎます(${mb(bytes.length)}、上限 ${mb(XLSX_LIMITS.bytes)})` };
  if (!isZip(bytes)) return { ok: false, message: 'Excelブック(.xlsx)ではありません(zip形式のファイルではありません)' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const broken = (why: string): ArchiveCheck => ({ ok: false, message: `Excelブック(.xlsx)が壊れています(${why})` });

  // The end-of-central-directory record: within the last 64 KiB + 22 bytes (its comment is at most 64 KiB).
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return broken('zipの目録がありません。ファイルが途中で切れている可能性があります');
  const count = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff) return broken('zip64形式には対応していません');
  if (count > XLSX_LIMITS.entries) return { ok: false, message: `ブックの部品が多すぎます(${formatCount(count)}個、上限 ${formatCount(XLSX_LIMITS.entries)}個)` };
  if (dirOffset + dirSize > eocd) return broken('zipの目録の位置が不正です');

  const decoder = new TextDecoder();
  const parts = new Map<string, Uint8Array>();
  let inflatedTotal = 0;
  let p = dirOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CENTRAL) return broken('zipの目録が不正です');
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const compressed = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength));
    p += 46 + nameLength + extraLength + commentLength;
    if (flags & 0x1) return broken(`暗号化された部品 ${name} があります。パスワードを外して保存し直してください`);
    if (name.endsWith('/')) continue;
    inflatedTotal += size;
    if (inflatedTotal > XLSX_LIMITS.inflatedBytes) {
      return { ok: false, message: `ブックの中身が大きすぎます(展開すると ${mb(inflatedTotal)} 以上、上限 ${mb(XLSX_LIMITS.inflatedBytes)})` };
    }
    if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL) return broken(`部品 ${name} の位置が不正です`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + compressed > bytes.length) return broken(`部品 ${name} が途中で切れています`);
    const data = bytes.subarray(start, start + compressed);
    let inflated: Uint8Array;
    if (method === 0) inflated = data;
    else if (method === 8) {
      try {
        // One byte over the declared size is enough to know it lies: inflation stops there.
        inflated = inflateRawSync(data, { maxOutputLength: size + 1 });
      } catch (e) {
        if (e instanceof RangeError) return { ok: false, message: `部品 ${name} が申告より大きく展開されます(zip爆弾の疑いがあるため読み込みません)` };
        return broken(`部品 ${name} を展開できません`);
      }
    } else return broken(`部品 ${name} の圧縮方式(${method})には対応していません`);
    if (inflated.length !== size) return broken(`部品 ${name} の大きさが目録と合いません`);
    if (/^xl\/(workbook\.xml|_rels\/workbook\.xml\.rels|worksheets\/[^/]+\.xml)$/.test(name)) parts.set(name, inflated);
  }

  // Rows of each worksheet, counted in its XML, named by the sheet people see.
  const names = sheetNames(parts, decoder);
  for (const [part, xml] of parts) {
    if (!part.startsWith('xl/worksheets/')) continue;
    const rows = countRows(xml);
    const sheet = names.get(part);
    if (rows > XLSX_LIMITS.rows) {
      return { ok: false, message: `シートの行が多すぎます(${formatCount(rows)}行、上限 ${formatCount(XLSX_LIMITS.rows)}行)`, ...(sheet ? { sheet } : {}) };
    }
    const geometry = sheetGeometryProblem(decoder.decode(xml));
    if (geometry) return { ok: false, message: `Excelブック(.xlsx)が壊れています(${geometry})`, ...(sheet ? { sheet } : {}) };
  }
  return { ok: true };
}

/** Excel's own bounds: a sheet has at most 16,384 columns and 1,048,576 rows. */
const MAX_COLUMN = 16_384;
const MAX_ROW = 1_048_576;
/** Cells one merged range may cover: exceljs makes an object per cell of a merge. A 様式 merge spans a row. */
const MAX_MERGED_CELLS = 100_000;

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/**
 * Column ranges, row numbers and merged ranges outside what Excel allows, or merges larger than
 * any form needs: exceljs expands each into arrays or objects per column or cell, so one
 * attribute (`<col min="1000000000000">` in a 28 KB file, found by fuzzing) would take it past
 * any heap. Returns what is wrong, in Japanese, or undefined.
 */
function sheetGeometryProblem(xml: string): string | undefined {
  for (const m of xml.matchAll(/<col\b[^>]*>/g)) {
    const min = Number(/\bmin="([^"]*)"/.exec(m[0])?.[1] ?? '1');
    const max = Number(/\bmax="([^"]*)"/.exec(m[0])?.[1] ?? '1');
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min || max > MAX_COLUMN) return `列の範囲が不正です: min="${min}" max="${max}"`;
  }
  for (const m of xml.matchAll(/<row\b[^>]*\br="([^"]*)"/g)) {
    const r = Number(m[1]);
    if (!Number.isInteger(r) || r < 1 || r > MAX_ROW) return `行番号が不正です: ${m[1]}`;
  }
  for (const m of xml.matchAll(/<(?:mergeCell|dimension)\b[^>]*\bref="([^"]*)"/g)) {
    const range = /^\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?$/.exec(m[1]!);
    if (!range) return `セル範囲が不正です: ${m[1]}`;
    const [c1, r1] = [columnNumber(range[1]!), Number(range[2])];
    const [c2, r2] = range[3] ? [columnNumber(range[3]), Number(range[4])] : [c1, r1];
    if (Math.max(c1, c2) > MAX_COLUMN || Math.max(r1, r2) > MAX_ROW || Math.min(r1, r2) < 1) return `セル範囲が不正です: ${m[1]}`;
    if (m[0].startsWith('<mergeCell') && (Math.abs(c2 - c1) + 1) * (Math.abs(r2 - r1) + 1) > MAX_MERGED_CELLS) return `結合セルが大きすぎます: ${m[1]}`;
  }
  return undefined;
}

/** `<row` elements, counted on the bytes without decoding the sheet. */
function countRows(xml: Uint8Array): number {
  let n = 0;
  for (let i = 0; i + 4 < xml.length; i++) {
    // "<row" followed by a space, ">" or "/"
    if (xml[i] === 0x3c && xml[i + 1] === 0x72 && xml[i + 2] === 0x6f && xml[i + 3] === 0x77) {
      const next = xml[i + 4];
      if (next === 0x20 || next === 0x3e || next === 0x2f) n++;
    }
  }
  return n;
}

/** Worksheet part → sheet name, from workbook.xml and its relationships. */
function sheetNames(parts: Map<string, Uint8Array>, decoder: TextDecoder): Map<string, string> {
  const out = new Map<string, string>();
  const workbook = parts.get('xl/workbook.xml');
  const rels = parts.get('xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) return out;
  const targets = new Map<string, string>();
  for (const m of decoder.decode(rels).matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]*)"/.exec(m[0])?.[1];
    const target = /\bTarget="([^"]*)"/.exec(m[0])?.[1];
    if (id && target) targets.set(id, target.replace(/^\/?xl\//, '').replace(/^\//, ''));
  }
  for (const m of decoder.decode(workbook).matchAll(/<sheet\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(m[0])?.[1];
    const rid = /\br:id="([^"]*)"/.exec(m[0])?.[1];
    const target = rid ? targets.get(rid) : undefined;
    if (name && target) out.set(`xl/${target}`, unescapeXml(name));
  }
  return out;
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
}
