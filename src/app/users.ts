/**
 * Use cases on user accounts: create, update, reset a password, delete. Each checks that the
 * actor may do it, validates the input, and writes the change with its audit entry in one
 * transaction. The admin page parses its form, calls one of these and shows the outcome.
 */
import { isRole, type Role } from '../domain/workflow.ts';
import { DuplicateError, NotFoundError, type Store, type User } from '../store/store.ts';
import { hashPassword } from '../server/auth/password.ts';
import { isAdmin, ROLE_LABELS, roleNeedsOrganization } from './policy.ts';
import { ForbiddenError, ValidationError } from './errors.ts';

export { ValidationError } from './errors.ts';

export const MIN_PASSWORD = 12;
/** scrypt takes any length; a bound keeps one request from costing seconds of CPU. */
export const MAX_PASSWORD = 1024;
export const MAX_DISPLAY_NAME = 100;
const USERNAME = /^[A-Za-z0-9._-]{2,40}$/;
const CONTROL = /\p{Cc}/u;

export function requireAdmin(actor: User): void {
  if (!isAdmin(actor)) throw new ForbiddenError('この操作は管理者だけができます。');
}

/** Problems collected field by field; throws them all at once, so the form shows every one. */
export class Problems {
  private readonly found: Record<string, string> = Object.create(null) as Record<string, string>;
  add(field: string, message: string): void {
    this.found[field] ??= message;
  }
  has(field: string): boolean {
    return Object.hasOwn(this.found, field);
  }
  throwIfAny(): void {
    if (Object.keys(this.found).length > 0) throw new ValidationError({ ...this.found });
  }
}

/** A one-line name typed by a person: trimmed, bounded, without control characters. */
export function checkName(problems: Problems, field: string, label: string, value: string, max: number): string {
  const v = value.trim();
  if (v.length > max) problems.add(field, `「${label}」は${max}文字以内にしてください。`);
  else if (CONTROL.test(v)) problems.add(field, `「${label}」に改行や制御文字は使えません。`);
  return v;
}

// ---------------------------------------------------------------- input

export interface UserInput {
  displayName: string;
  /** Any string from a form: checked against the roles. */
  role: string;
  /** null for none; anything not a positive integer is refused (a tampered form). */
  organizationId: number | null;
  password: string;
}

export interface Deps {
  /** How passwords are hashed; tests pass cheaper parameters. */
  hashPassword?: (password: string) => Promise<string>;
}

function checkPassword(problems: Problems, password: string, required: boolean): void {
  if (!required && password === '') return;
  if (password.length < MIN_PASSWORD) problems.add('password', `「パスワード」は${MIN_PASSWORD}文字以上にしてください。`);
  else if (password.length > MAX_PASSWORD) problems.add('password', `「パスワード」は${MAX_PASSWORD}文字以内にしてください。`);
  else if (CONTROL.test(password)) problems.add('password', '「パスワード」に改行や制御文字は使えません。');
}

/** The role and its organization: editors and approvers need one, the other roles have none. */
function checkRole(problems: Problems, role: string, organizationId: number | null): { role: Role; organizationId: number | null } | undefined {
  if (!isRole(role)) {
    problems.add('role', '「役割」を一覧から選んでください。');
    return undefined;
  }
  if (organizationId !== null && !(Number.isSafeInteger(organizationId) && organizationId > 0)) {
    problems.add('organizationId', '「組織」を一覧から選び直してください。');
    return undefined;
  }
  if (roleNeedsOrganization(role) && organizationId === null) problems.add('organizationId', `${ROLE_LABELS[role]}には組織が必要です。「組織」を選んでください。`);
  // Never drop what the administrator chose: a role without an organization refuses one.
  if (!roleNeedsOrganization(role) && organizationId !== null) {
    problems.add('organizationId', `${ROLE_LABELS[role]}は組織に属しません。「組織」は「(なし)」を選んでください。`);
  }
  return { role, organizationId };
}

async function checkOrganizationExists(tx: Store, organizationId: number | null): Promise<void> {
  if (organizationId !== null && !(await tx.getOrganization(organizationId))) {
    throw new ValidationError({ organizationId: '選んだ「組織」が見つかりません。選び直してください。' });
  }
}

function takenName(username: string): ValidationError {
  return new ValidationError({ username: `ユーザー名「${username}」はすでに使われています。` }, true);
}

// ---------------------------------------------------------------- use cases

export async function createUser(store: Store, actor: User, input: UserInput & { username: string }, deps: Deps = {}): Promise<User> {
  requireAdmin(actor);
  const problems = new Problems();
  const username = input.username.trim();
  if (!USERNAME.test(username)) problems.add('username', '「ユーザー名」は半角英数字と . _ - で2〜40文字にしてください。');
  const displayName = checkName(problems, 'displayName', '表示名', input.displayName, MAX_DISPLAY_NAME) || username;
  checkPassword(problems, input.password, true);
  const ro = checkRole(problems, input.role, input.organizationId);
  problems.throwIfAny();
  // Hashed before the transaction: scrypt is slow and must not hold the write lock.
  const passwordHash = await (deps.hashPassword ?? hashPassword)(input.password);
  try {
    return await store.transaction(async (tx) => {
      await checkOrganizationExists(tx, ro!.organizationId);
      const user = await tx.createUser({ username, displayName, passwordHash, ...ro! });
      await tx.appendAudit({ actor: actor.username, action: 'user.create', item: username, detail: { role: user.role } });
      return user;
    });
  } catch (e) {
    if (e instanceof DuplicateError) throw takenName(username);
    throw e;
  }
}

/** Fields left out stay as they are; an empty password keeps the old one. */
export type UserPatchInput = Partial<UserInput>;

export async function updateUser(store: Store, actor: User, userId: number, input: UserPatchInput, deps: Deps = {}): Promise<User> {
  requireAdmin(actor);
  const target = await store.getUser(userId);
  if (!target) throw new NotFoundError(`ユーザー ${userId} が見つかりません`);
  const problems = new Problems();
  const displayName = input.displayName === undefined ? target.displayName : checkName(problems, 'displayName', '表示名', input.displayName, MAX_DISPLAY_NAME) || target.displayName;
  const password = input.password ?? '';
  checkPassword(problems, password, false);
  const ro = checkRole(problems, input.role ?? target.role, input.organizationId === undefined ? target.organizationId : input.organizationId);
  if (ro && target.id === actor.id && ro.role !== 'admin') problems.add('role', '自分自身の管理者の役割は外せません。');
  problems.throwIfAny();
  const passwordHash = password === '' ? undefined : await (deps.hashPassword ?? hashPassword)(password);
  return store.transaction(async (tx) => {
    await checkOrganizationExists(tx, ro!.organizationId);
    const updated = await tx.updateUser(target.id, { displayName, ...ro!, ...(passwordHash ? { passwordHash } : {}) });
    // A changed role, organization or password ends the user's sessions, so the change takes effect now.
    if (passwordHash || ro!.role !== target.role || ro!.organizationId !== target.organizationId) await tx.deleteUserSessions(target.id);
    await tx.appendAudit({ actor: actor.username, action: 'user.update', item: target.username, detail: { role: ro!.role, passwordChanged: passwordHash !== undefined } });
    return updated;
  });
}

export async function resetPassword(store: Store, actor: User, userId: number, password: string, deps: Deps = {}): Promise<User> {
  if (password === '') throw new ValidationError({ password: '「パスワード」を入力してください。' });
  return updateUser(store, actor, userId, { password }, deps);
}

export async function deleteUser(store: Store, actor: User, userId: number): Promise<void> {
  requireAdmin(actor);
  if (userId === actor.id) throw new ValidationError({ action: '自分自身は削除できません。' });
  await store.transaction(async (tx) => {
    const target = await tx.getUser(userId);
    if (!target) throw new NotFoundError(`ユーザー ${userId} が見つかりません`);
    await tx.deleteUserSessions(target.id);
    await tx.deleteUser(target.id);
    await tx.appendAudit({ actor: actor.username, action: 'user.delete', item: target.username });
  });
}
