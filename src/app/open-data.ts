/**
 * How open data names an organization: its code, and its name with its city (「大阪市 西区」),
 * since several cities have a 西区. Shared by the CSV routes and `hoshin export --format csv`.
 */
import type { OpenDataOrganization } from '../formats/csv/open-data.ts';
import type { Organization, Store } from '../store/store.ts';

/** Parents looked up once per request: a national file names the same few cities many times. */
export function organizationNamer(store: Store) {
  const parents = new Map<number, Promise<Organization | undefined>>();
  return async (organization: Organization): Promise<OpenDataOrganization> => {
    let parentName: string | undefined;
    if (organization.parentId !== null) {
      let parent = parents.get(organization.parentId);
      if (!parent) {
        parent = store.getOrganization(organization.parentId);
        parents.set(organization.parentId, parent);
      }
      const found = await parent;
      // 「大阪市 西区」, as the public index names it: several cities have a 西区.
      if (found?.kind === 'city') parentName = found.name;
    }
    return { code: organization.code, name: parentName === undefined ? organization.name : `${parentName} ${organization.name}` };
  };
}
