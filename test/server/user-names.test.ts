import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTable } from '../../src/server/views/audit-view.tsx';
import { createWorld, signedIn, type World } from './harness.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.close());

describe('people by the names they know each other by', () => {
  it('the audit table shows who acted through the name lookup it is given, and login ids without one', async () => {
    const entries = [
      { id: 2, at: new Date('2026-01-02T03:04:05Z'), actor: 'editor', action: 'plan.comment', planId: 1, organizationId: 1, item: null, detail: null, ip: null },
      { id: 1, at: new Date('2026-01-01T03:04:05Z'), actor: 'cli', action: 'plan.create', planId: 1, organizationId: 1, item: null, detail: { revision: 1 }, ip: null },
    ];
    const names = new Map([['editor', '西区 編集 太郎']]);
    const html = String(await AuditTable({ entries, nameOf: (u) => names.get(u) ?? u }));
    expect(html).toContain('<td>西区 編集 太郎</td>');
    expect(html).not.toContain('<td>editor</td>');
    expect(html).toContain('<td>cli</td>');
    expect(String(await AuditTable({ entries }))).toContain('<td>editor</td>');
  });

  it('the history page and the comments name people by display name', async () => {
    await world.store.updateUser((await world.store.getUserByUsername('editor'))!.id, { displayName: '西区 編集 太郎' });
    const editor = await signedIn(world.app, 'editor');
    await editor.post(`/staff/plans/${world.draftPlanId}/comments`, { body: '確認お願いします' });
    const history = await (await editor.get(`/staff/plans/${world.draftPlanId}/history`)).text();
    const revisions = /<caption>版の一覧.*?<\/table>/s.exec(history)![0];
    expect(revisions).toContain('<td>西区 編集 太郎</td>');
    expect(revisions).not.toContain('<td>editor</td>');
    // The 操作の記録 table below it shows names once plan.tsx passes its lookup to AuditTable (nameOf).
    const overview = await (await editor.get(`/staff/plans/${world.draftPlanId}`)).text();
    expect(overview).toContain('<strong>西区 編集 太郎</strong>');
  });
});
