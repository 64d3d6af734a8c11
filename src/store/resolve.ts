/** Naming things on a command line: an organization by slug, name or code; a fiscal year in 西暦 or 和暦. */
import { gregorianFromEra } from '../domain/fiscal-year.ts';
import type { Organization, Store } from './store.ts';

/** The default city a document's ward is looked up in. */
export const DEFAULT_CITY = 'osaka';

/** A name several organizations share (西区 of Osaka and of Sakai), given without a city. */
export class AmbiguousOrganizationError extends Error {
  constructor(readonly ref: string, readonly candidates: readonly { slug: string; cityName: string | null }[]) {
    super(
      `「${ref}」という名前の組織は複数あります: ${candidates.map((c) => `${c.slug}(${c.cityName ?? '市なし'})`).join('、')}。` +
        'スラッグか団体コードで指定するか、--city で市を指定してください',
    );
    this.name = 'AmbiguousOrganizationError';
  }
}

/**
 * An organization by slug, 全国地方公共団体コード or name; with a city, a ward name is looked
 * up in that city first (西区 exists in many cities). A bare name that several cities' wards
 * share is refused with AmbiguousOrganizationError rather than guessed.
 */
export async function resolveOrganization(store: Store, ref: string, cityRef?: string): Promise<Organization | undefined> {
  if (cityRef !== undefined) {
    const city = await store.findOrganization(cityRef);
    if (city) {
      const ward = await store.findWard(city.id, ref);
      if (ward) return ward;
    }
  }
  const found = await store.findOrganization(ref);
  // Found by slug or code: unique. By name: make sure no other organization has it too.
  if (!found || found.name !== ref || found.slug === ref || found.code === ref) return found;
  const all = await store.listOrganizations();
  const same = all.filter((o) => o.name === ref);
  if (same.length < 2) return found;
  const byId = new Map(all.map((o) => [o.id, o]));
  throw new AmbiguousOrganizationError(ref, same.map((o) => ({ slug: o.slug, cityName: o.parentId === null ? null : (byId.get(o.parentId)?.name ?? null) })));
}

/** 2017, 平成29, 平成29年度, 令和元年度 → the Gregorian year the fiscal year starts in; undefined if unreadable. */
export function parseFiscalYear(text: string): number | undefined {
  const s = text.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const western = /^(\d{4})(?:年度)?$/.exec(s);
  if (western) return Number(western[1]);
  const era = /^(\D+?)(\d{1,2}|元)(?:年度?)?$/.exec(s);
  if (era) return gregorianFromEra(era[1]!, era[2] === '元' ? 1 : Number(era[2]));
  return undefined;
}
