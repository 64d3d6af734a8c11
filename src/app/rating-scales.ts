/**
 * Use cases on a city's rating scales: administrators list and define (create or replace) the
 * scales the reviews of the city's wards are rated on. Osaka's are shipped with the preset;
 * another city defines its own (S/A/B/C, 1–5…). The store audits each write.
 * `cityRatingScales` is what a review page offers a plan: its city's scales, or Osaka's
 * shipped ones when the city has defined none.
 */
import { OSAKA_RATING_SCALES } from '../domain/pdca/rating-scales.ts';
import type { RatingOption, RatingScales } from '../domain/plan.ts';
import { NotFoundError, type Organization, type RatingScaleRecord, type Store, type User } from '../store/store.ts';
import { ForbiddenError, ValidationError } from './errors.ts';
import { isAdmin } from './policy.ts';

/** Names are what plan files and reviews refer to: lowercase ASCII, like Osaka's ("osaka-midyear-achievement"). */
export const SCALE_NAME = /^[a-z0-9][a-z0-9-]{1,62}$/;
export const MIN_SCALE_OPTIONS = 2;
export const MAX_SCALE_OPTIONS = 10;
export const MAX_OPTION_CODE = 10;
export const MAX_OPTION_LABEL = 100;

const CONTROL = /\p{Cc}/u;

function requireAdmin(actor: User): void {
  if (!isAdmin(actor)) throw new ForbiddenError('評価尺度を扱えるのは管理者だけです。');
}

/** The city itself (a scale belongs to a city, never to a ward); undefined when the id names none. */
async function cityOf(store: Store, cityId: number): Promise<Organization | undefined> {
  if (!Number.isSafeInteger(cityId) || cityId <= 0) return undefined;
  const org = await store.getOrganization(cityId);
  return org?.kind === 'city' ? org : undefined;
}

/** The cities an administrator may pick on the scales page, by name as the store lists them. */
export async function listScaleCities(store: Store, actor: User): Promise<Organization[]> {
  requireAdmin(actor);
  return store.listOrganizations({ kind: 'city' });
}

/** The scales a city defined, by name. NotFoundError when cityId is not a city. */
export async function listCityScales(store: Store, actor: User, cityId: number): Promise<RatingScaleRecord[]> {
  requireAdmin(actor);
  if (!(await cityOf(store, cityId))) throw new NotFoundError(`市 ${cityId} が見つかりません`);
  return store.listRatingScales(cityId);
}

export interface CityScaleInput {
  cityId: number;
  name: string;
  options: readonly RatingOption[];
}

/** An option with the line of the form it was typed on (1-based), so a problem names it. */
interface Located {
  option: RatingOption;
  line: number;
}

type ProblemMap = Record<string, string>;

function add(problems: ProblemMap, field: string, message: string): void {
  problems[field] ??= message;
}

/**
 * Every rule a scale must keep; problems by form field (`name`, `options`, `best`).
 * Options' texts are trimmed; the best is marked on exactly one option or on none (then the
 * first is best, as `bestOption` in the domain's plan rules reads it).
 */
function checkScale(problems: ProblemMap, name: string, located: readonly Located[], where: (l: Located) => string): { name: string; options: RatingOption[] } {
  const trimmedName = name.trim();
  if (!SCALE_NAME.test(trimmedName)) {
    add(problems, 'name', '「名前」は半角英小文字か数字で始め、半角英小文字・数字・ハイフンで2〜63文字にしてください(例: sakai-midyear-achievement)。');
  }
  if (located.length < MIN_SCALE_OPTIONS || located.length > MAX_SCALE_OPTIONS) {
    add(problems, 'options', `「選択肢」は${MIN_SCALE_OPTIONS}〜${MAX_SCALE_OPTIONS}個にしてください(いま${located.length}個)。`);
  }
  const lineProblems: string[] = [];
  const seen = new Set<string>();
  const options: RatingOption[] = [];
  for (const l of located) {
    const code = typeof l.option.code === 'string' ? l.option.code.trim() : '';
    const label = typeof l.option.label === 'string' ? l.option.label.trim() : '';
    if (code.length < 1 || code.length > MAX_OPTION_CODE) lineProblems.push(`${where(l)}: 記号は1〜${MAX_OPTION_CODE}文字にしてください。`);
    else if (CONTROL.test(code)) lineProblems.push(`${where(l)}: 記号に制御文字は使えません。`);
    else if (seen.has(code)) lineProblems.push(`${where(l)}: 記号「${code}」が重複しています。`);
    if (label.length < 1 || label.length > MAX_OPTION_LABEL) lineProblems.push(`${where(l)}: 説明は1〜${MAX_OPTION_LABEL}文字にしてください。`);
    else if (CONTROL.test(label)) lineProblems.push(`${where(l)}: 説明に制御文字は使えません。`);
    seen.add(code);
    options.push(l.option.best === true ? { code, label, best: true } : { code, label });
  }
  if (lineProblems.length > 0) add(problems, 'options', lineProblems.join(' '));
  if (options.filter((o) => o.best === true).length > 1) add(problems, 'best', '「最良の選択肢」は1つだけにしてください。');
  return { name: trimmedName, options };
}

async function writeScale(store: Store, actor: User, cityId: number, problems: ProblemMap, scale: { name: string; options: RatingOption[] }): Promise<RatingScaleRecord> {
  if (!(await cityOf(store, cityId))) add(problems, 'cityId', '「市」を一覧から選び直してください(評価尺度は区ではなく市で定めます)。');
  if (Object.keys(problems).length > 0) throw new ValidationError({ ...problems });
  const record: RatingScaleRecord = { organizationId: cityId, name: scale.name, options: scale.options };
  // The store audits the write (from → to) in its own transaction.
  await store.saveRatingScale({ ...record, actor: actor.username });
  return record;
}

/** Creates or replaces the city's scale of that name. ValidationError names each bad field. */
export async function saveCityScale(store: Store, actor: User, input: CityScaleInput): Promise<RatingScaleRecord> {
  requireAdmin(actor);
  const problems: ProblemMap = Object.create(null) as ProblemMap;
  const options = Array.isArray(input.options) ? input.options : [];
  const scale = checkScale(problems, input.name, options.map((option, i) => ({ option, line: i + 1 })), (l) => `「選択肢」の${l.line}番目`);
  return writeScale(store, actor, input.cityId, problems, scale);
}

/**
 * The same, from the admin form: `lines` holds one option a line as `code:label` (a full-width
 * colon is taken too; blank lines are skipped), `best` the number of the best option among
 * them (1-based, '' for none: the first). A problem names the line it is on.
 */
export async function saveCityScaleFromLines(store: Store, actor: User, input: { cityId: number; name: string; lines: string; best: string }): Promise<RatingScaleRecord> {
  requireAdmin(actor);
  const problems: ProblemMap = Object.create(null) as ProblemMap;
  const { located, problems: lineProblems } = readScaleLines(input.lines);
  const best = input.best.trim();
  if (best !== '') {
    const n = /^\d{1,2}$/.test(best) ? Number(best) : Number.NaN;
    if (!(n >= 1 && n <= located.length)) add(problems, 'best', `「最良の選択肢」は1〜${Math.max(located.length, 1)}番目から選んでください。`);
    else located[n - 1]!.option.best = true;
  }
  const scale = checkScale(problems, input.name, located, (l) => `「選択肢」の${l.line}行目`);
  // A line that could not be read at all is named first: the checks above only saw the readable ones.
  if (lineProblems.length > 0) problems['options'] = [lineProblems.join(' '), problems['options']].filter(Boolean).join(' ');
  return writeScale(store, actor, input.cityId, problems, scale);
}

/** `code:label` lines into options, with their line numbers; a line without a colon is a problem. */
function readScaleLines(text: string): { located: Located[]; problems: string[] } {
  const located: Located[] = [];
  const problems: string[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const at = raw.search(/[:：]/);
    if (at < 0) {
      problems.push(`「選択肢」の${i + 1}行目: 「記号:説明」の形で書いてください。`);
      return;
    }
    located.push({ option: { code: raw.slice(0, at), label: raw.slice(at + 1) }, line: i + 1 });
  });
  return { located, problems };
}

/** A scale as the admin form shows it: one `code:label` a line, and the number of the best option. */
export function scaleToLines(options: readonly RatingOption[]): { lines: string; best: string } {
  const best = options.findIndex((o) => o.best === true);
  return { lines: options.map((o) => `${o.code}:${o.label}`).join('\n'), best: String(best < 0 ? 1 : best + 1) };
}

/**
 * The scales a plan of this organization is rated on: those its city defined (the city is the
 * organization's parent, or the organization itself when it is a city), else Osaka's shipped
 * ones. Reading them needs no permission beyond the plan's page, which the caller has checked.
 */
export async function cityRatingScales(store: Store, organizationId: number): Promise<RatingScales> {
  const org = await store.getOrganization(organizationId);
  const cityId = org?.parentId ?? (org?.kind === 'city' ? org.id : undefined);
  const records = cityId === undefined ? [] : await store.listRatingScales(cityId);
  if (records.length === 0) return structuredClone(OSAKA_RATING_SCALES);
  // Own data properties only: a scale's name never reaches an object's prototype.
  const out = Object.create(null) as RatingScales;
  for (const r of records) out[r.name] = r.options;
  return out;
}
