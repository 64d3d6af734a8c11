/** Cities and wards. */
import { withCheckDigit } from '../local-government-code.ts';
import { toOrganization, toTime } from '../mapper.ts';
import { DuplicateError, type NewOrganization, type Organization, type OrganizationKind, type OrganizationStore } from '../store.ts';
import type { SqlContext } from './context.ts';

export class SqlOrganizations implements OrganizationStore {
  constructor(private readonly ctx: SqlContext) {}

  async createOrganization(input: NewOrganization): Promise<Organization> {
    return this.ctx.write(async (tx) => {
      try {
        const row = await tx.kysely
          .insertInto('organizations')
          .values({
            kind: input.kind,
            name: input.name,
            kana: input.kana,
            slug: input.slug,
            code: input.code ?? null,
            parent_id: input.parentId ?? null,
            created_at: toTime(new Date()),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toOrganization(row);
      } catch (e) {
        if (tx.adapter.isUniqueViolation(e)) throw new DuplicateError(`組織「${input.name}」(${input.slug}${input.code ? `, ${input.code}` : ''})はすでに登録されています`);
        throw e;
      }
    });
  }

  async getOrganization(id: number): Promise<Organization | undefined> {
    const row = await this.ctx.kysely.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toOrganization(row);
  }

  async findOrganization(ref: string): Promise<Organization | undefined> {
    const q = this.ctx.kysely.selectFrom('organizations').selectAll().orderBy('id');
    const bySlug = await q.where('slug', '=', ref).executeTakeFirst();
    if (bySlug) return toOrganization(bySlug);
    const code = /^\d{5}$/.test(ref) ? withCheckDigit(ref) : ref;
    const byCode = await q.where('code', '=', code).executeTakeFirst();
    if (byCode) return toOrganization(byCode);
    const byName = await q.where('name', '=', ref).executeTakeFirst();
    return byName && toOrganization(byName);
  }

  async findWard(cityId: number, name: string): Promise<Organization | undefined> {
    const row = await this.ctx.kysely
      .selectFrom('organizations')
      .selectAll()
      .where((eb) => eb.or([eb.and([eb('parent_id', '=', cityId), eb('name', '=', name)]), eb.and([eb('id', '=', cityId), eb('name', '=', name)])]))
      .orderBy('id')
      .executeTakeFirst();
    return row && toOrganization(row);
  }

  async listOrganizations(filter: { parentId?: number | null; kind?: OrganizationKind } = {}): Promise<Organization[]> {
    let q = this.ctx.kysely.selectFrom('organizations').selectAll().orderBy('id');
    if (filter.parentId === null) q = q.where('parent_id', 'is', null);
    else if (filter.parentId !== undefined) q = q.where('parent_id', '=', filter.parentId);
    if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
    return (await q.execute()).map(toOrganization);
  }
}
