/**
 * Use cases on organizations (the city and its wards): only creating one, by an
 * administrator, validated and audited in one transaction.
 */
import { DuplicateError, type Organization, type OrganizationKind, type Store, type User } from '../store/store.ts';
import { isValidLocalGovernmentCode } from '../store/local-government-code.ts';
import { checkName, Problems, requireAdmin, ValidationError } from './users.ts';

export const ORGANIZATION_KIND_LABELS: Readonly<Record<OrganizationKind, string>> = {
  prefecture: '都道府県', city: '市', ward: '区', other: 'その他',
};

export const MAX_ORGANIZATION_NAME = 100;
const SLUG = /^[a-z][a-z0-9-]{1,40}$/;

export function isOrganizationKind(value: string): value is OrganizationKind {
  // Own keys only: "constructor" or "toString" are not kinds.
  return Object.hasOwn(ORGANIZATION_KIND_LABELS, value);
}

export interface OrganizationInput {
  name: string;
  kana: string;
  slug: string;
  /** 全国地方公共団体コード, or '' when unknown. */
  code: string;
  /** Any string from a form: checked against the kinds. */
  kind: string;
  /** The city a ward belongs to; null for none. */
  parentId: number | null;
}

export async function createOrganization(store: Store, actor: User, input: OrganizationInput): Promise<Organization> {
  requireAdmin(actor);
  const problems = new Problems();
  const name = checkName(problems, 'name', '名称', input.name, MAX_ORGANIZATION_NAME);
  if (name === '' && !problems.has('name')) problems.add('name', '「名称」を入力してください。');
  const kana = checkName(problems, 'kana', 'かな', input.kana, MAX_ORGANIZATION_NAME);
  const slug = input.slug.trim();
  if (!SLUG.test(slug)) problems.add('slug', '「URL名」は半角英小文字で始め、半角英小文字・数字・ハイフンで2〜41文字にしてください。');
  // Full-width digits are how a code is often typed in Japanese.
  const code = input.code.normalize('NFKC').trim();
  if (code !== '' && !isValidLocalGovernmentCode(code)) problems.add('code', '「団体コード」は検査数字を含む6桁の数字にしてください(例: 大阪市西区 271063)。');
  const kind = input.kind;
  if (!isOrganizationKind(kind)) problems.add('kind', '「種類」を一覧から選んでください。');
  const { parentId } = input;
  if (parentId !== null && !(Number.isSafeInteger(parentId) && parentId > 0)) problems.add('parentId', '「所属する市」を一覧から選び直してください。');
  problems.throwIfAny();
  try {
    return await store.transaction(async (tx) => {
      if (parentId !== null && (await tx.getOrganization(parentId))?.kind !== 'city') {
        throw new ValidationError({ parentId: '選んだ「所属する市」が見つかりません。選び直してください。' });
      }
      const organization = await tx.createOrganization({ kind: kind as OrganizationKind, name, kana, slug, code: code === '' ? null : code, parentId });
      await tx.appendAudit({ actor: actor.username, action: 'organization.create', organizationId: organization.id, item: slug });
      return organization;
    });
  } catch (e) {
    if (e instanceof DuplicateError) throw new ValidationError({ name: 'その名称・URL名・団体コードはすでに使われています。' }, true);
    throw e;
  }
}
