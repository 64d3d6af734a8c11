import { describePlace, sortDiagnostics, type Diagnostic } from '../domain/diagnostic.ts';

/**
 * `FILE:LINE: message`, `FILE:LINE: warning: message`; a workbook's sheet and cell or a PDF's page
 * follow the file name in Japanese; the field is named when there is no line.
 */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  const place = describePlace({ ...(d.sheet === undefined ? {} : { sheet: d.sheet }), ...(d.cell === undefined ? {} : { cell: d.cell }), ...(d.page === undefined ? {} : { page: d.page }) });
  const where = (d.line === undefined ? file : `${file}:${d.line}`) + (place ? ` (${place})` : '');
  const field = d.line === undefined && d.field ? `${d.field}: ` : '';
  return `${where}: ${d.severity === 'warning' ? 'warning: ' : ''}${field}${d.message}`;
}

export function formatDiagnostics(file: string, diagnostics: readonly Diagnostic[]): string {
  return sortDiagnostics(diagnostics)
    .map((d) => `${formatDiagnostic(file, d)}\n`)
    .join('');
}
