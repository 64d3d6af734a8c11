import type { Diagnostic } from '../domain/diagnostic.ts';

/** Where each field of a parsed plan came from: field path ("issues[0].title") → 1-based line. */
export type SourceMap = Map<string, number>;

/** The line of a field, or of the nearest enclosing field that has one. */
export function lineOfField(map: SourceMap, field: string): number | undefined {
  for (let f = field; f !== ''; f = parentField(f)) {
    const line = map.get(f);
    if (line !== undefined) return line;
  }
  return map.get('');
}

function parentField(field: string): string {
  const cut = Math.max(field.lastIndexOf('.'), field.lastIndexOf('['));
  return cut <= 0 ? '' : field.slice(0, cut);
}

/** Give each field-located diagnostic the line its field came from. */
export function locate(diagnostics: Diagnostic[], map: SourceMap): Diagnostic[] {
  return diagnostics.map((d) => {
    if (d.line !== undefined || d.field === undefined) return d;
    const line = lineOfField(map, d.field);
    return line === undefined ? d : { ...d, line };
  });
}
