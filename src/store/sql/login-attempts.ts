/**
 * Sign-in attempts, for rate limiting. An attempt is reserved before its password is
 * checked (beginLoginAttempt): counted and recorded, as failed until finished, in one
 * write transaction serialized against every other reservation, so a burst of guesses
 * gets at most the limit through, however many arrive at once.
 */
import type { Kysely } from 'kysely';
import { toTime } from '../mapper.ts';
import type { Database } from '../schema.ts';
import { LOGIN_IP_MAX, LOGIN_USERNAME_MAX, type BeginLoginAttempt, type LoginAttempt, type LoginReservation, type UserStore } from '../store.ts';
import type { SqlContext } from './context.ts';

export type LoginAttemptStore = Pick<UserStore, 'recordLoginAttempt' | 'countFailedLogins' | 'beginLoginAttempt' | 'finishLoginAttempt'>;

/** The forms kept: names and addresses come from anyone, so they are cut to a bound (and counted as cut). */
const keptName = (username: string) => username.slice(0, LOGIN_USERNAME_MAX);
const keptIp = (ip: string) => ip.slice(0, LOGIN_IP_MAX);

/** Failed (or unfinished) attempts since a time, matching every filter given. */
async function countFailed(db: Kysely<Database>, filter: { username?: string; ip?: string; since: Date }): Promise<number> {
  let q = db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('success', '=', 0)
    .where('at', '>=', toTime(filter.since));
  if (filter.username !== undefined) q = q.where('username', '=', keptName(filter.username));
  if (filter.ip !== undefined) q = q.where('ip', '=', keptIp(filter.ip));
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

export class SqlLoginAttempts implements LoginAttemptStore {
  constructor(private readonly ctx: SqlContext) {}

  async recordLoginAttempt(attempt: LoginAttempt): Promise<void> {
    await this.ctx.write((tx) =>
      tx.kysely
        .insertInto('login_attempts')
        .values({ username: keptName(attempt.username), ip: keptIp(attempt.ip), success: attempt.success ? 1 : 0, at: toTime(attempt.at ?? new Date()) })
        .execute(),
    );
  }

  async countFailedLogins(filter: { username?: string; ip?: string; since: Date }): Promise<number> {
    return countFailed(this.ctx.kysely, filter);
  }

  async beginLoginAttempt(input: BeginLoginAttempt): Promise<LoginReservation> {
    return this.ctx.write(async (tx) => {
      // SQLite: BEGIN IMMEDIATE has serialized us already. PostgreSQL: a lock until commit.
      await tx.adapter.lockLoginAttempts(tx.kysely);
      const byUser = await countFailed(tx.kysely, { username: input.username, since: input.since });
      if (byUser >= input.maxPerUser) return { allowed: false };
      const byIp = await countFailed(tx.kysely, { ip: input.ip, since: input.since });
      if (byIp >= input.maxPerIp) return { allowed: false };
      // success = 0: counted as a failure until finished, and stays one if never finished.
      const row = await tx.kysely
        .insertInto('login_attempts')
        .values({ username: keptName(input.username), ip: keptIp(input.ip), success: 0, at: toTime(input.at ?? new Date()) })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { allowed: true, attemptId: row.id };
    });
  }

  async finishLoginAttempt(attemptId: number, success: boolean): Promise<void> {
    // A failure is what the reservation recorded already.
    if (!success) return;
    await this.ctx.write((tx) => tx.kysely.updateTable('login_attempts').set({ success: 1 }).where('id', '=', attemptId).execute());
  }
}
