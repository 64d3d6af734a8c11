/** Users and their sessions (the store keeps only the SHA-256 of a session id). */
import { createHash } from 'node:crypto';
import { toSession, toTime, toUser } from '../mapper.ts';
import { DuplicateError, NotFoundError, type NewUser, type Session, type User, type UserPatch, type UserStore } from '../store.ts';
import type { SqlContext } from './context.ts';

const hashSessionId = (id: string) => createHash('sha256').update(id).digest('hex');

export type UserAndSessionStore = Omit<UserStore, 'recordLoginAttempt' | 'countFailedLogins' | 'beginLoginAttempt' | 'finishLoginAttempt'>;

export class SqlUsers implements UserAndSessionStore {
  constructor(private readonly ctx: SqlContext) {}

  async createUser(input: NewUser): Promise<User> {
    return this.ctx.write(async (tx) => {
      try {
        const row = await tx.kysely
          .insertInto('users')
          .values({
            username: input.username,
            display_name: input.displayName,
            password_hash: input.passwordHash,
            role: input.role,
            organization_id: input.organizationId ?? null,
            created_at: toTime(new Date()),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toUser(row);
      } catch (e) {
        if (tx.adapter.isUniqueViolation(e)) throw new DuplicateError(`ユーザー名「${input.username}」はすでに使われています`);
        throw e;
      }
    });
  }

  async getUser(id: number): Promise<User | undefined> {
    const row = await this.ctx.kysely.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async getUserByUsername(username: string): Promise<User | undefined> {
    const row = await this.ctx.kysely.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return row && toUser(row);
  }

  async listUsers(): Promise<User[]> {
    return (await this.ctx.kysely.selectFrom('users').selectAll().orderBy('username').execute()).map(toUser);
  }

  async updateUser(id: number, patch: UserPatch): Promise<User> {
    return this.ctx.write(async (tx) => {
      const set = {
        ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
        ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(patch.organizationId !== undefined ? { organization_id: patch.organizationId } : {}),
      };
      if (Object.keys(set).length > 0) await tx.kysely.updateTable('users').set(set).where('id', '=', id).execute();
      const user = await new SqlUsers(tx).getUser(id);
      if (!user) throw new NotFoundError(`ユーザー ${id} が見つかりません`);
      return user;
    });
  }

  async deleteUser(id: number): Promise<void> {
    await this.ctx.write(async (tx) => {
      await tx.kysely.deleteFrom('sessions').where('user_id', '=', id).execute();
      await tx.kysely.deleteFrom('users').where('id', '=', id).execute();
    });
  }

  // ------------------------------------------------------------ sessions

  async createSession(input: { id: string; userId: number; csrfToken: string; expiresAt: Date }): Promise<Session> {
    const row = {
      id_hash: hashSessionId(input.id),
      user_id: input.userId,
      csrf_token: input.csrfToken,
      expires_at: toTime(input.expiresAt),
      created_at: toTime(new Date()),
    };
    await this.ctx.write((tx) => tx.kysely.insertInto('sessions').values(row).execute());
    return toSession(row, input.id);
  }

  async getSession(id: string, now: Date = new Date()): Promise<Session | undefined> {
    const row = await this.ctx.kysely
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', hashSessionId(id))
      .where('expires_at', '>', toTime(now))
      .executeTakeFirst();
    return row && toSession(row, id);
  }

  async deleteSession(id: string): Promise<void> {
    await this.ctx.write((tx) => tx.kysely.deleteFrom('sessions').where('id_hash', '=', hashSessionId(id)).execute());
  }

  async deleteUserSessions(userId: number): Promise<void> {
    await this.ctx.write((tx) => tx.kysely.deleteFrom('sessions').where('user_id', '=', userId).execute());
  }

  async deleteExpiredSessions(now: Date = new Date()): Promise<number> {
    const r = await this.ctx.write((tx) => tx.kysely.deleteFrom('sessions').where('expires_at', '<=', toTime(now)).executeTakeFirst());
    return Number(r.numDeletedRows);
  }
}
