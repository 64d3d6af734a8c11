/**
 * Reading a posted form safely, once for every route. The fields end up in objects without a
 * prototype, and names that could reach `Object.prototype` through a path-like name
 * (`a.__proto__.z`, `constructor.prototype.z`) are refused outright: one such post used to
 * poison the whole process until restart.
 */

/** Name segments no form of ours uses and that mean something to JavaScript objects. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The longest field name we accept; the editor's deepest is under 60 characters. */
export const MAX_FIELD_NAME = 200;
/** Far more fields than a plan at the limits of docs/limits.md has (about 13,000); each may become an object. */
export const MAX_FIELDS = 50_000;

/**
 * Hard bounds on fields that are never plan text, by name, checked before any route runs
 * (the sign-in form stores the user name tried in the audit log). Use cases validate their
 * own, tighter limits and answer 422 with the form refilled; these catch the absurd.
 * `line`: a single identifier-like value, where any control character is an attack.
 */
const FIELD_RULES: Readonly<Record<string, { label: string; max: number; line?: boolean }>> = Object.assign(Object.create(null), {
  _csrf: { label: 'フォームの確認用の値', max: 200, line: true },
  _revision: { label: '版', max: 20, line: true },
  _baseRevision: { label: '版', max: 20, line: true },
  action: { label: '操作', max: 200, line: true },
  to: { label: '状態', max: 40, line: true },
  username: { label: 'ユーザー名', max: 100, line: true },
  password: { label: 'パスワード', max: 1024 },
  displayName: { label: '表示名', max: 200 },
  role: { label: '役割', max: 40, line: true },
  organizationId: { label: '組織', max: 20, line: true },
  parentId: { label: '所属する市', max: 20, line: true },
  name: { label: '名称', max: 200 },
  kana: { label: 'かな', max: 200 },
  slug: { label: 'URL名', max: 100, line: true },
  code: { label: '団体コード', max: 40 },
  kind: { label: '種類', max: 40, line: true },
  source: { label: '作成のしかた', max: 40, line: true },
  fiscalYear: { label: '年度', max: 20, line: true },
});

const CONTROL = /\p{Cc}/u;

/** A posted form that the server refuses as a whole: answered 400 with `message`. */
export class FormError extends Error {
  override readonly name = 'FormError';
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

/** `issues[0].title` → ["issues", "0", "title"]: every way a reader may split a name. */
export function fieldNameSegments(name: string): string[] {
  return name.split(/[.[\]]+/).filter((s) => s !== '');
}

export function isForbiddenFieldName(name: string): boolean {
  return fieldNameSegments(name).some((s) => FORBIDDEN_SEGMENTS.has(s));
}

/** Shown in messages: a name as sent, cut short and with control characters made visible. */
function shown(name: string): string {
  const cut = name.length > 60 ? `${name.slice(0, 60)}…` : name;
  return cut.replace(/\p{Cc}/gu, '�');
}

function labelOf(name: string): string {
  const rule = FIELD_RULES[name];
  return rule ? `「${rule.label}」(${name})` : `「${shown(name)}」`;
}

/** Throws FormError for the first field name or value the server must not take in. */
export function checkFormEntries(form: FormData): void {
  const entries: [string, FormDataEntryValue][] = [];
  form.forEach((value, name) => entries.push([name, value]));
  let count = 0;
  for (const [name, value] of entries) {
    if (++count > MAX_FIELDS) throw new FormError(`送信された項目が多すぎます(${MAX_FIELDS}項目まで)。`);
    if (name.length > MAX_FIELD_NAME || CONTROL.test(name) || isForbiddenFieldName(name)) {
      throw new FormError(`送信された項目名${labelOf(name)}は受け付けられません。ページを開き直してから送信してください。`, name);
    }
    if (typeof value !== 'string') continue;
    // PostgreSQL cannot store NUL in text, and no one types it: refuse it in every field.
    if (value.includes('\u0000')) throw new FormError(`項目${labelOf(name)}に使えない文字(NUL)が含まれています。`, name);
    const rule = FIELD_RULES[name];
    if (!rule) continue;
    if (value.length > rule.max) throw new FormError(`項目${labelOf(name)}が長すぎます(${rule.max}文字まで)。`, name);
    if (rule.line && CONTROL.test(value)) throw new FormError(`項目${labelOf(name)}に制御文字が含まれています。`, name);
  }
}

/** The media types browsers post forms as; only these are read as forms. */
export function isFormContentType(contentType: string | undefined): boolean {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return media === 'application/x-www-form-urlencoded' || media === 'multipart/form-data';
}

/**
 * The form's string fields in an object without a prototype (the last of repeated fields
 * wins, as before); files are left out. Entries must have passed checkFormEntries.
 */
export function stringFields(form: FormData): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  form.forEach((value, name) => {
    if (typeof value === 'string') out[name] = value;
  });
  return out;
}
