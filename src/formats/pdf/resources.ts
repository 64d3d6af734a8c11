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

/** Where the BIZ UDPGothic TrueType files are, for callers to read and pass to `renderPlanPdf` (paths only: nothing is read here). */
export function bizUdpGothicPaths(): { regular: string; bold: string } {
  const require = createRequire(import.meta.url);
  return {
    regular: require.resolve('@expo-google-fonts/biz-udpgothic/400Regular/BIZUDPGothic_400Regular.ttf'),
    bold: require.resolve('@expo-google-fonts/biz-udpgothic/700Bold/BIZUDPGothic_700Bold.ttf'),
  };
}
