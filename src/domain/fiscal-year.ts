/**
 * Fiscal years (年度, April to March) between 西暦 and 和暦.
 *
 * A fiscal year is named by the Gregorian year in which it starts. Era names and their
 * first years come from the platform's Japanese calendar (Intl), so a future era arrives
 * with the runtime's ICU data rather than a code change.
 */

export interface EraYear {
  era: string;
  /** 1 is written 元. */
  year: number;
}

const eraFormat = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
  era: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

function eraOfDate(date: Date): EraYear {
  let era = '';
  let year = 0;
  for (const part of eraFormat.formatToParts(date)) {
    if (part.type === 'era') era = part.value;
    if (part.type === 'year') year = part.value === '元' ? 1 : Number(part.value);
  }
  return { era, year };
}

/** The first Meiji year counted here; earlier eras are out of scope for plans. */
const FIRST_YEAR = 1869;

let offsets: Map<string, number> | undefined;

/** era name → (Gregorian year − era year), e.g. 平成 → 1988. */
function eraOffsets(): Map<string, number> {
  if (offsets) return offsets;
  offsets = new Map();
  const last = new Date().getUTCFullYear() + 1;
  // Dec 31 of each year shows every era that began during it.
  for (let y = FIRST_YEAR; y <= last; y++) {
    const { era, year } = eraOfDate(new Date(Date.UTC(y, 11, 31)));
    if (!offsets.has(era)) offsets.set(era, y - year);
  }
  return offsets;
}

export function knownEras(): string[] {
  return [...eraOffsets().keys()];
}

/** 平成31 → 2019; undefined for an unknown era or a year below 1. */
export function gregorianFromEra(era: string, year: number): number | undefined {
  const offset = eraOffsets().get(era);
  if (offset === undefined || !Number.isInteger(year) || year < 1) return undefined;
  return offset + year;
}

/**
 * The era name a fiscal year is known by: the one in force on October 1, the middle
 * of the year, so FY1988 is 昭和63年度 and FY2019 is 令和元年度.
 */
export function eraOfFiscalYear(fiscalYear: number): EraYear {
  const { era } = eraOfDate(new Date(Date.UTC(fiscalYear, 9, 1)));
  return { era, year: fiscalYear - (eraOffsets().get(era) ?? 0) };
}

const readings = new Map<number, EraYear[]>();

/** Every era reading of a fiscal year: 2019 → 平成31 and 令和1. Memoized: budgets ask for it per row. */
export function eraReadingsOfFiscalYear(fiscalYear: number): EraYear[] {
  let found = readings.get(fiscalYear);
  if (!found) {
    const eras = new Set([
      eraOfDate(new Date(Date.UTC(fiscalYear, 3, 1))).era,
      eraOfDate(new Date(Date.UTC(fiscalYear + 1, 2, 31))).era,
    ]);
    found = [...eras].map((era) => ({ era, year: fiscalYear - (eraOffsets().get(era) ?? 0) }));
    readings.set(fiscalYear, found);
  }
  return found;
}

export function formatEraYear({ era, year }: EraYear): string {
  return `${era}${year === 1 ? '元' : year}年`;
}

/** 2017 → "平成29年度" */
export function formatFiscalYearJapanese(fiscalYear: number): string {
  return `${formatEraYear(eraOfFiscalYear(fiscalYear))}度`;
}

/** 2017 → "平成29年度(2017年度)", for titles that residents read. */
export function formatFiscalYearBoth(fiscalYear: number): string {
  return `${formatFiscalYearJapanese(fiscalYear)}(${fiscalYear}年度)`;
}

/** The short label budgets repeat: 2017 → "29年度", 2019 → "元年度". */
export function formatShortFiscalYear(fiscalYear: number): string {
  const { year } = eraOfFiscalYear(fiscalYear);
  return `${year === 1 ? '元' : year}年度`;
}

/** Whether a short year label (29, 1 for 元, or a Gregorian 2017 / 17) names this fiscal year. */
export function shortYearMatches(shortYear: number, fiscalYear: number): boolean {
  if (shortYear === fiscalYear || shortYear === fiscalYear % 100) return true;
  return eraReadingsOfFiscalYear(fiscalYear).some((r) => r.year === shortYear);
}

/** A plausible fiscal year for a plan: 明治 onward, and not absurdly far ahead. */
export function isPlausibleFiscalYear(fiscalYear: number): boolean {
  return Number.isInteger(fiscalYear) && fiscalYear >= FIRST_YEAR && fiscalYear <= 2200;
}
