/**
 * Support for the official-PDF tests: the fonts, the three plans every format is checked with
 * (the seed, a generated 30-issue plan, the seed with indicators, measurements and reviews),
 * poppler-utils (skipped loudly by hand, a failure under CI=true), and a small PNG reader for
 * comparing a rasterized page with its reference image (no image dependency).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { bizUdpGothicPaths } from '../../../src/formats/pdf/resources.ts';

export function pdfFonts(): { regular: Uint8Array; bold: Uint8Array } {
  const paths = bizUdpGothicPaths();
  return { regular: readFileSync(paths.regular), bold: readFileSync(paths.bold) };
}

/** Fixed, so the bytes (and the reference images) are the same on every run. */
export const CREATION_DATE = new Date(Date.UTC(2017, 3, 1));

export { seedPlan, pdcaPlan, thirtyIssuePlan, DOCUMENT_PLANS as PLANS } from '../../support/document-plans.ts';

/** Whether poppler-utils (pdffonts, pdftoppm) can run; loud when not, a failure under CI. */
export function popplerAvailable(): boolean {
  try {
    execFileSync('pdffonts', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    const message = 'poppler-utils not found (apt-get install poppler-utils): pdffonts and page-image checks';
    if (process.env.CI === 'true') throw new Error(`${message} cannot be skipped in CI`);
    console.warn(`\n${'!'.repeat(78)}\n!! SKIPPING ${message}\n${'!'.repeat(78)}\n`);
    return false;
  }
}

/** Runs a poppler tool on the PDF's bytes in a temporary folder. */
export function withPdfFile<T>(bytes: Uint8Array, run: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'hoshin-pdf-'));
  try {
    const file = join(dir, 'plan.pdf');
    writeFileSync(file, bytes);
    return run(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdffonts(bytes: Uint8Array): string {
  return withPdfFile(bytes, (file) => execFileSync('pdffonts', [file], { encoding: 'utf8' }));
}

/** Page 1 at 50 dpi as PNG bytes (what the reference images are). */
export function rasterizeFirstPage(bytes: Uint8Array): Buffer {
  return withPdfFile(bytes, (file, dir) => {
    execFileSync('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '1', '-singlefile', file, join(dir, 'page')]);
    return readFileSync(join(dir, 'page.png'));
  });
}

export const referenceImage = (name: string) => `test/fixtures/golden/pdf/${name}-page1.png`;

// ---------------------------------------------------------------- PNG

export interface GrayImage {
  width: number;
  height: number;
  /** Luminance 0–255, row by row. */
  pixels: Uint8Array;
}

/** Reads an 8-bit, non-interlaced PNG (gray, RGB, gray+alpha or RGBA: what pdftoppm writes) as luminance. */
export function readPng(png: Uint8Array): GrayImage {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((b, i) => png[i] === b)) throw new Error('not a PNG');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Uint8Array[] = [];
  while (pos < png.length) {
    const length = view.getUint32(pos);
    const type = String.fromCharCode(...png.subarray(pos + 4, pos + 8));
    const data = png.subarray(pos + 8, pos + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(pos + 8);
      height = view.getUint32(pos + 12);
      const depth = data[8];
      const colorType = data[9]!;
      if (depth !== 8 || data[12] !== 0) throw new Error('only 8-bit non-interlaced PNGs are read');
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType] ?? 0;
      if (channels === 0) throw new Error(`PNG colour type ${colorType} is not read`);
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[y * stride + x - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels]! : 0;
      let v = line[x]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + x] = v & 0xff;
    }
  }
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const o = i * channels;
    pixels[i] = channels >= 3 ? Math.round(0.299 * out[o]! + 0.587 * out[o + 1]! + 0.114 * out[o + 2]!) : out[o]!;
  }
  return { width, height, pixels };
}

/** Share of pixels whose luminance differs by more than `threshold` (anti-aliasing differs a little between poppler builds). */
export function differenceRatio(a: GrayImage, b: GrayImage, threshold = 64): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let differing = 0;
  for (let i = 0; i < a.pixels.length; i++) if (Math.abs(a.pixels[i]! - b.pixels[i]!) > threshold) differing++;
  return differing / a.pixels.length;
}
