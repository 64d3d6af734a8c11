import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeICalText, foldICalLine, renderICalendar } from '../../src/formats/ical/render.ts';
import { createWorld, signedIn, type World } from './harness.ts';

/** The feed URL shown once on the page answering the POST. */
function feedPath(html: string): string {
  const m = /http:\/\/localhost(\/calendar\/[A-Za-z0-9_-]+\.ics)/.exec(html);
  if (!m) throw new Error('no feed URL on the page');
  return m[1]!;
}

describe('check calendar', () => {
  let world: World;
  beforeEach(async () => {
    // 2017-11-15 in Japan: the seed plan's 中間振り返り (due 2017-10-31) is overdue.
    world = await createWorld({ now: () => new Date('2017-11-15T01:00:00Z') });
  });
  afterEach(() => world.close());

  it('shows what is due or overdue for the user’s organization, per organization and per person', async () => {
    const editor = await signedIn(world.app, 'editor');
    const html = await (await editor.get('/staff/checks')).text();
    expect(html).toContain('期限切れの点検が1件');
    expect(html).toContain('西区の期限切れ・期限が近い点検');
    expect(html).toContain('中間振り返り');
    expect(html).toContain('期限切れ');
    expect(html).toContain('担当者: (未定)');
    const kita = await (await (await signedIn(world.app, 'kitaeditor')).get('/staff/checks')).text();
    expect(kita).toContain('期限切れ・期限が近い点検はありません。');
    expect(await (await (await signedIn(world.app, 'planner')).get('/staff/checks')).text()).toContain('西区の期限切れ');
  });

  it('serves the user’s due dates as iCalendar at a secret URL, shown once and renewable', async () => {
    const editor = await signedIn(world.app, 'editor');
    const first = await editor.post('/staff/checks/calendar');
    expect(first.status).toBe(200);
    const path = feedPath(await first.text());
    expect(await (await editor.get('/staff/checks')).text()).toContain('URLを再発行する');
    const res = await world.app.request(`http://localhost${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const body = await res.text();
    expect(body.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(body.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(body.replace(/\r\n/g, '')).not.toContain('\n');
    for (const line of body.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const unfolded = body.replace(/\r\n /g, '');
    expect(unfolded).toContain('DTSTART;VALUE=DATE:20171031\r\n');
    expect(unfolded).toContain(`UID:plan-${world.seedPlanId}-midYear@hoshin\r\n`);
    expect(unfolded).toMatch(/DTSTAMP:20171115T010000Z\r\n/);
    expect(unfolded).toContain('SUMMARY:西区 2017年度 中間振り返りの締切\r\n');
    // Renewing stops the old URL.
    const renewed = feedPath(await (await editor.post('/staff/checks/calendar')).text());
    expect(renewed).not.toBe(path);
    expect((await world.app.request(`http://localhost${path}`)).status).toBe(404);
    expect((await world.app.request(`http://localhost${renewed}`)).status).toBe(200);
  });

  it('answers anything else with a bare 404', async () => {
    const editor = await signedIn(world.app, 'editor');
    const path = feedPath(await (await editor.post('/staff/checks/calendar')).text());
    const token = path.slice('/calendar/'.length, -'.ics'.length);
    for (const other of [
      `/calendar/${'A'.repeat(43)}.ics`, `/calendar/${token}.ICS`, `/calendar/${token}.ics.txt`, `/calendar/${token}.json`, `/calendar/${token}`,
      `/calendar/${token.slice(0, 10)}.ics`, `/calendar/${token}%00.ics`, `/calendar/..%2F${token}.ics`, '/calendar/', `/calendar/${token}.ics/x`,
    ]) {
      const res = await world.app.request(`http://localhost${other}`);
      expect(res.status, other).toBe(404);
      expect(await res.text()).not.toContain(token);
    }
    await world.store.deleteUser((await world.store.getUserByUsername('editor'))!.id);
    expect((await world.app.request(`http://localhost${path}`)).status).toBe(404);
  });

  it('needs the CSRF token to issue a URL', async () => {
    const editor = await signedIn(world.app, 'editor');
    expect((await editor.post('/staff/checks/calendar', { _csrf: 'x' })).status).toBe(403);
    expect(await world.store.hasCalendarToken((await world.store.getUserByUsername('editor'))!.id)).toBe(false);
  });

  it('saves a plan’s schedule for its editors and approvers, refusing bad dates and people of other organizations', async () => {
    const path = `/staff/plans/${world.seedPlanId}/schedule`;
    const editor = await signedIn(world.app, 'editor');
    const page = await (await editor.get(path)).text();
    expect(page).toContain('まだ設定されていないため');
    expect(page).toContain('value="2017-10-31"');
    const kitaEditor = (await world.store.getUserByUsername('kitaeditor'))!;
    const bad = await editor.post(path, { midYearDue: '2017-02-30', yearEndDue: '2018-06-30', measurementFrequency: 'quarterly', responsibleMidYear: String(kitaEditor.id), responsibleYearEnd: '', responsibleMeasurements: '' });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain('日付を 2017-10-31 の形で入力してください。');
    expect(badHtml).toContain('担当者は、この組織の編集者・承認者から選んでください。');
    const approverId = (await world.store.getUserByUsername('approver'))!.id;
    const ok = await editor.post(path, { midYearDue: '2017-11-30', yearEndDue: '2018-06-30', measurementFrequency: 'quarterly', responsibleMidYear: String(approverId), responsibleYearEnd: '', responsibleMeasurements: '' });
    expect(ok.status).toBe(303);
    expect((await world.store.getCheckSchedule(world.seedPlanId))!).toMatchObject({ midYearDue: '2017-11-30', measurementFrequency: 'quarterly', responsible: { midYear: approverId } });
    expect((await (await signedIn(world.app, 'kitaapprover')).post(path, { midYearDue: '2017-11-30', yearEndDue: '2018-06-30' })).status).toBe(403);
    expect((await (await signedIn(world.app, 'planner')).post(path, { midYearDue: '2017-11-30', yearEndDue: '2018-06-30' })).status).toBe(403);
    // The approver now has the mid-year review in their feed; it is no longer overdue.
    const approver = await signedIn(world.app, 'approver');
    const feed = await (await world.app.request(`http://localhost${feedPath(await (await approver.post('/staff/checks/calendar')).text())}`)).text();
    expect(feed).toContain('DTSTART;VALUE=DATE:20171130');
    expect(await (await approver.get('/staff/checks')).text()).toContain('担当者: approverさん');
  });

  it('lets the organization’s approver reopen a review past its deadline and lock it again, audited', async () => {
    const path = `/staff/plans/${world.seedPlanId}/schedule`;
    const approver = await signedIn(world.app, 'approver');
    const page = await (await approver.get(path)).text();
    expect(page).toContain('中間振り返り(締切 2017/10/31): 締切済み(変更できません)');
    expect(page).toContain('中間振り返りを再開する');
    expect(page).not.toContain('年度末の自己評価を再開する');
    expect((await (await signedIn(world.app, 'editor')).post(`${path}/reopen`, { kind: 'midYear', reopened: '1' })).status).toBe(403);
    expect((await approver.post(`${path}/reopen`, { kind: 'midYear', reopened: '1' })).status).toBe(303);
    expect(await (await approver.get(path)).text()).toContain('中間振り返りを締め切る');
    expect((await world.store.getCheckSchedule(world.seedPlanId))!.reopened.midYear).toBe(true);
    expect((await approver.post(`${path}/reopen`, { kind: 'midYear', reopened: '0' })).status).toBe(303);
    expect((await approver.post(`${path}/reopen`, { kind: 'other', reopened: '1' })).status).toBe(400);
    const audit = await world.store.listAudit({ planId: world.seedPlanId });
    expect(audit.filter((a) => a.action.startsWith('review.')).map((a) => [a.action, a.item, a.actor])).toEqual([['review.reopen', 'midYear', 'approver'], ['review.lock', 'midYear', 'approver']]);
  });
});

describe('iCalendar text', () => {
  it('escapes TEXT and folds lines at 75 octets without splitting a character', () => {
    expect(escapeICalText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
    const line = `SUMMARY:${'西'.repeat(40)}`;
    const folded = foldICalLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(new TextEncoder().encode(p).length).toBeLessThanOrEqual(75);
    expect(parts.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    expect(foldICalLine('x'.repeat(75))).toBe('x'.repeat(75));
    const cal = renderICalendar([{ uid: 'u@h', date: '2017-12-31', summary: 's', description: 'd' }], new Date('2017-11-15T01:02:03.456Z'));
    expect(cal).toContain('DTSTAMP:20171115T010203Z\r\nDTSTART;VALUE=DATE:20171231\r\nDTEND;VALUE=DATE:20180101\r\n');
  });
});
