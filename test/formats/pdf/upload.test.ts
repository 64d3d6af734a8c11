/** The staff page's upload reads a PDF as it reads the text (bytes as they are, whatever the name). */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, signedIn, type World } from '../../server/harness.ts';
import { pdfFromLayoutText } from './make-pdf.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.close());

const seedText = readFileSync('test/fixtures/text/osaka-nishi-2017.txt', 'utf8');

describe('creating a plan from an uploaded PDF', () => {
  it('stores the plan the PDF holds, and refuses an encrypted one with its reason on the page', async () => {
    const editor = await signedIn(world.app, 'editor');
    const page = await (await editor.get('/staff/plans/new')).text();
    expect(page).toContain('.pdf');

    const upload = async (bytes: Uint8Array<ArrayBuffer>, name: string) => {
      const form = new FormData();
      form.set('_csrf', editor.csrf);
      form.set('organizationId', String(world.nishiId));
      form.set('source', 'upload');
      form.set('file', new File([bytes], name, { type: 'application/pdf' }));
      return editor.request('/staff/plans', { method: 'POST', body: form });
    };

    const pdf = await pdfFromLayoutText(seedText.replace('平成29年度 西区運営方針', '平成33年度 西区運営方針'));
    expect((await upload(pdf, '西区運営方針.pdf')).status).toBe(303);
    const created = (await world.store.findPlan(world.nishiId, 2021))!;
    const plan = (await world.store.getRevision(created.id))!.plan;
    expect(plan.issues.map((i) => i.title)).toEqual([
      '地域コミュニティのさらなる活性化',
      '安全・安心で快適なまちづくり',
      '多彩な魅力を活かした西区のブランド力の向上',
      '自律した自治体型の区政運営',
    ]);
    expect(plan.issues[0]!.strategies[0]!.initiatives[0]!.budgetThousandYen).toBe(22_268);

    const refused = await upload(await pdfFromLayoutText(seedText, { userPassword: 'pw' }), 'locked.pdf');
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('PDFにパスワードが設定されているため読めません');
  }, 60_000);
});
