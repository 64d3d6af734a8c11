import { AmbiguousOrganizationError } from '../store/resolve.ts';
import { UsageError } from './command.ts';

/** For resolveOrganization(...).catch(): a name several cities share is the user's to make precise. */
export function ambiguityAsUsage(e: unknown): never {
  if (e instanceof AmbiguousOrganizationError) throw new UsageError(e.message);
  throw e;
}
