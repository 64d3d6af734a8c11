import { WORKFLOW_STATE_LABELS, isWorkflowState } from '../../domain/workflow.ts';
import { openStoreForCommand, type PlanFilter } from '../../store/index.ts';
import { parseFiscalYear, resolveOrganization } from '../../store/resolve.ts';
import { parseArgs } from '../args.ts';
import { UsageError, type Command } from '../command.ts';
import { ambiguityAsUsage } from '../org-ref.ts';

export const command: Command = {
  name: 'list',
  help: `使い方: hoshin list [--org ORG] [--year 年度] [--state 状態] [--json]
       hoshin list --orgs [--json]
       hoshin list --revisions --org ORG --year 年度 [--json]

保存された計画を、組織・年度の順に1行ずつ表示します:
スラッグ、組織名、年度、状態(編集中・承認待ち・承認済み・公開中)、最新の版、公開中の版、文書の状態(案・確定)。
--orgs を指定すると、登録されている組織(市と区)を表示します。
--revisions を指定すると、1つの計画のすべての版(番号、日時、作成者、メッセージ、案・確定)を表示します。

オプション:
  --org ORG      組織で絞り込む(スラッグ・名称・団体コード)
  --city 市      --org の区名を探す市(同じ名前の区が複数の市にあるとき)
  --year 年度    年度で絞り込む(2017、平成29 など)
  --state 状態   editing / submitted / approved / published で絞り込む
  --orgs         組織の一覧を表示する
  --revisions    --org と --year で指定した計画の版の一覧を表示する
  --json         JSON で出力する

例:
  hoshin list
  hoshin list --org nishi
  hoshin list --year 平成29 --state published
  hoshin list --orgs
  hoshin list --revisions --org nishi --year 2017
`,
  async run(args, io) {
    const { positionals, options } = parseArgs(args, { values: ['org', 'year', 'state', 'city'], flags: ['orgs', 'json', 'revisions'] });
    if (positionals.length > 0) throw new UsageError(`余分な引数があります: ${positionals.join(' ')}`);
    const filter: PlanFilter = {};
    if (typeof options.year === 'string') {
      const fy = parseFiscalYear(options.year);
      if (fy === undefined) throw new UsageError(`年度を読めません: ${options.year}`);
      filter.fiscalYear = fy;
    }
    if (typeof options.state === 'string') {
      if (!isWorkflowState(options.state)) throw new UsageError(`--state には editing / submitted / approved / published のいずれかを指定してください`);
      filter.workflowState = options.state;
    }
    const store = await openStoreForCommand('list', io.env, io.cwd, io.stderr);
    if (!store) return 1;
    try {
      if (options.orgs) {
        const orgs = await store.listOrganizations();
        if (options.json) {
          io.stdout(`${JSON.stringify(orgs, null, 2)}\n`);
          return 0;
        }
        const byId = new Map(orgs.map((o) => [o.id, o]));
        for (const o of orgs) {
          const parent = o.parentId === null ? '' : (byId.get(o.parentId)?.name ?? '');
          io.stdout(`${o.slug.padEnd(18)} ${(o.code ?? '------').padEnd(7)} ${parent}${o.name}${o.kana ? `(${o.kana})` : ''}\n`);
        }
        return 0;
      }
      if (typeof options.org === 'string') {
        const org = await resolveOrganization(store, options.org, typeof options.city === 'string' ? options.city : undefined).catch(ambiguityAsUsage);
        if (!org) {
          io.stderr(`hoshin list: 組織「${options.org}」が見つかりません\n`);
          return 1;
        }
        filter.organizationId = org.id;
      }
      if (options.revisions) {
        if (filter.organizationId === undefined || filter.fiscalYear === undefined) throw new UsageError('--revisions には --org と --year を指定してください');
        const plan = await store.findPlan(filter.organizationId, filter.fiscalYear);
        if (!plan) {
          io.stderr(`hoshin list: ${options.org} の ${filter.fiscalYear}年度の計画はありません\n`);
          return 1;
        }
        const revisions = await store.listRevisions(plan.id);
        if (options.json) {
          io.stdout(`${JSON.stringify(revisions, null, 2)}\n`);
          return 0;
        }
        for (const r of revisions) {
          const marks = [r.number === plan.currentRevision ? '最新' : '', r.number === plan.publishedRevision ? '公開中' : ''].filter(Boolean).join('・');
          io.stdout(`版${r.number}\t${r.createdAt.toISOString()}\t${r.author}\t${r.documentStatus === 'draft' ? '案' : '確定'}\t${r.message}${marks ? `\t(${marks})` : ''}\n`);
        }
        return 0;
      }
      const plans = await store.listPlans(filter);
      if (options.json) {
        io.stdout(`${JSON.stringify(plans, null, 2)}\n`);
        return 0;
      }
      if (plans.length === 0) {
        io.stderr('計画はありません\n');
        return 0;
      }
      for (const p of plans) {
        const published = p.publishedRevision === null ? '未公開' : `公開: 版${p.publishedRevision}`;
        const state = WORKFLOW_STATE_LABELS[p.workflowState];
        io.stdout(`${p.organizationSlug.padEnd(18)} ${p.organizationName}\t${p.fiscalYear}年度\t${state}\t版${p.currentRevision}\t${published}\t${p.documentStatus === 'draft' ? '案' : '確定'}\n`);
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};
