/**
 * Where the installed pdfjs-dist keeps its CMaps and standard fonts, for callers to pass to
 * `extractPdfText` / `parseDocumentAsync`. Only a path is computed here (module resolution, as an
 * import does): nothing is read, so formats/ stays free of I/O. The paths are local files, so a
 * PDF import never reaches the network.
 */
import { createRequire } from 'node:module';
import type { PdfResources } from './extract.ts';

export function pdfjsResources(): PdfResources {
  const manifest = createRequire(import.meta.url).resolve('pdfjs-dist/package.json');
  // pdfjs appends file names to these and requires the trailing "/".
  const dir = manifest.slice(0, -'package.json'.length).replace(/\\/g, '/');
  return { cMapUrl: `${dir}cmaps/`, standardFontDataUrl: `${dir}standard_fonts/` };
}
