import type { Store } from '../store/store.ts';

/**
 * Login ids → the names people know each other by, read once per page. Actors that are not
 * users (`cli`, `anonymous`) or no longer exist keep their login id.
 */
export async function displayNames(store: Store): Promise<(username: string) => string> {
  const names = new Map((await store.listUsers()).map((u) => [u.username, u.displayName]));
  return (username) => names.get(username) ?? username;
}
