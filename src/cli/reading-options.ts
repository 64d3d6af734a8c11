import { LAYOUT_NAMES, unknownLayoutMessage } from '../formats/text/document.ts';
import { parseFiscalYear } from '../store/resolve.ts';
import { UsageError } from './command.ts';

/** How a document is to be read, from `--layout` and `--year`, shared by convert, check and import. */
export interface ReadingOptions {
  layout?: string;
  /** For layouts whose title names no year (堺市's 組織運営方針). */
  fiscalYear?: number;
}

export const READING_OPTION_NAMES = ['layout', 'year'] as const;

export const READING_OPTIONS_HELP = `  --layout 名前    テキストの様式を判定せず、この様式で読む(${LAYOUT_NAMES.join('・')})。
  --year 年度      題名に年度のない文書(堺市の組織運営方針など)の年度(例: 2023、令和5)。`;

export function readingOptions(options: Record<string, string | boolean | undefined>): ReadingOptions {
  const layout = typeof options['layout'] === 'string' ? options['layout'] : undefined;
  if (layout !== undefined && !LAYOUT_NAMES.includes(layout)) throw new UsageError(unknownLayoutMessage(layout));
  const yearRef = typeof options['year'] === 'string' ? options['year'] : undefined;
  const fiscalYear = yearRef === undefined ? undefined : parseFiscalYear(yearRef);
  if (yearRef !== undefined && fiscalYear === undefined) throw new UsageError(`--year の年度を読めません: ${yearRef}(例: 2023、令和5)`);
  return { ...(layout === undefined ? {} : { layout }), ...(fiscalYear === undefined ? {} : { fiscalYear }) };
}
