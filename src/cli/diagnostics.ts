import { sortDiagnostics, type Diagnostic } from '../domain/diagnostic.ts';

/** `FILE:LINE: message`, `FILE:LINE: warning: message`; the field is named when there is no line. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  const where = d.line === undefined ? file : `${file}:${d.line}`;
  const field = d.line === undefined && d.field ? `${d.field}: ` : '';
  return `${where}: ${d.severity === 'warning' ? 'warning: ' : ''}${field}${d.message}`;
}

export function formatDiagnostics(file: string, diagnostics: readonly Diagnostic[]): string {
  return sortDiagnostics(diagnostics)
    .map((d) => `${formatDiagnostic(file, d)}\n`)
    .join('');
}
