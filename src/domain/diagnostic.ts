/** One problem found in a document, with where it is: a line of the source, a field of the plan, or both. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Japanese, for the user. */
  message: string;
  /** 1-based line in the source document. */
  line?: number;
  /** Path in the plan, e.g. "issues[1].strategies[0].initiatives[2].budgetThousandYen". */
  field?: string;
  /** 1-based page of a PDF. */
  page?: number;
  /** Sheet and cell (A1 notation) of a workbook. */
  sheet?: string;
  cell?: string;
}

/** Where a diagnostic points, as a document would say it. */
export type DiagnosticPlace = Pick<Diagnostic, 'line' | 'field' | 'page' | 'sheet' | 'cell'>;

export function error(message: string, where: DiagnosticPlace = {}): Diagnostic {
  return { severity: 'error', message, ...where };
}

export function warning(message: string, where: DiagnosticPlace = {}): Diagnostic {
  return { severity: 'warning', message, ...where };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorted by line, errors before warnings on the same line; diagnostics without a line last. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const la = a.line ?? Number.MAX_SAFE_INTEGER;
    const lb = b.line ?? Number.MAX_SAFE_INTEGER;
    if (la !== lb) return la - lb;
    return a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1;
  });
}

/** 「3ページ」「シート「様式2」のセルD12」「12行目」: the place in Japanese, or '' when there is none. */
export function describePlace(d: DiagnosticPlace): string {
  const parts: string[] = [];
  if (d.sheet !== undefined) parts.push(d.cell === undefined ? `シート「${d.sheet}」` : `シート「${d.sheet}」のセル${d.cell}`);
  if (d.page !== undefined) parts.push(`${d.page}ページ`);
  if (d.line !== undefined) parts.push(`${d.line}行目`);
  return parts.join(' ');
}
