import { afterEach, describe, expect, it } from 'vitest';
import { command } from '../../src/cli/commands/serve.ts';
import type { CliIO } from '../../src/cli/command.ts';
import { UsageError } from '../../src/cli/command.ts';
import { verifyPassword } from '../../src/server/auth/password.ts';
import { bootstrap } from '../../src/server/bootstrap.ts';
import { createTestStore, type Store } from '../../src/store/index.ts';

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

describe('first start', () => {
  it('publishes the seed plan and creates the administrator once; later starts change nothing', async () => {
    store = await createTestStore();
    const first = await bootstrap(store, {});
    expect(first.seeded).toEqual({ slug: 'nishi', fiscalYear: 2017 });
    expect(first.admin).toMatchObject({ username: 'admin', generated: true });
    const admin = (await store.getUserByUsername('admin'))!;
    expect(admin.role).toBe('admin');
    expect(await verifyPassword(first.admin!.password, admin.passwordHash)).toBe(true);
    expect((await store.getPublishedPlan('nishi', 2017))?.revision.plan.organization).toBe('西区');

    const second = await bootstrap(store, { HOSHIN_ADMIN_PASSWORD: 'ignored now' });
    expect(second).toEqual({ seeded: null, admin: null });
    expect((await store.listRevisions((await store.listPlans())[0]!.id)).length).toBe(1);
  });

  it('takes the administrator password from HOSHIN_ADMIN_PASSWORD when given', async () => {
    store = await createTestStore();
    const result = await bootstrap(store, { HOSHIN_ADMIN_PASSWORD: 'given-password-123' });
    expect(result.admin).toEqual({ username: 'admin', password: 'given-password-123', generated: false });
  });
});

describe('hoshin serve', () => {
  const io: CliIO = { stdout: () => undefined, stderr: () => undefined, isTTY: false, cwd: process.cwd(), env: {} };
  it('refuses a bad port and stray arguments as usage errors', async () => {
    await expect(command.run(['--port', 'eighty'], io)).rejects.toThrow(UsageError);
    await expect(command.run(['--port', '70000'], io)).rejects.toThrow(UsageError);
    await expect(command.run(['extra'], io)).rejects.toThrow(UsageError);
  });
});
