import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { auditToCsv, loadAuditCsvContext } from '../../store/audit-csv.ts';
import { DEFAULT_DATABASE_URL, describeDatabaseUrl, openStoreForCommand, type OrganizationKind } from '../../store/index.ts';
import { isValidLocalGovernmentCode } from '../../store/local-government-code.ts';
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from '../../store/migrations.ts';
import { parseFiscalYear, resolveOrganization } from '../../store/resolve.ts';
import { parseArgs } from '../args.ts';
import { UsageError, type CliIO, type Command } from '../command.ts';
import { ambiguityAsUsage } from '../org-ref.ts';

const KINDS: readonly OrganizationKind[] = ['prefecture', 'city', 'ward', 'other'];

export const command: Command = {
  name: 'db',
  help: `使い方: hoshin db migrate
       hoshin db status
       hoshin db check
       hoshin db add-org --name 名称 --kana よみ --slug スラッグ [--code 団体コード] [--city 市] [--kind city|ward|other]
       hoshin db audit [ORG FISCAL_YEAR] [-o OUT.csv]

  migrate   スキーマを最新の版に移行します(何度実行しても安全です。起動時にも自動で行います)。
  status    データベースの場所、スキーマの版、件数を表示します。
  check     整合性を検査します(問題があれば終了コード 1)。
  add-org   市や区を登録します。--city を指定するとその市の区として登録します。
            団体コードは6桁(検査数字つき)で指定します。
  audit     監査ログを CSV で書き出します。ORG と年度を指定するとその計画の分だけを書き出します。

データベースは環境変数 HOSHIN_DATABASE_URL で指定します(既定: ${DEFAULT_DATABASE_URL})。

例:
  hoshin db migrate
  hoshin db add-org --name 堺市 --kana さかいし --slug sakai --code 271403
  hoshin db add-org --name 堺区 --kana さかいく --slug sakai-sakai --code 271411 --city sakai
  hoshin db audit nishi 2017 -o audit-nishi-2017.csv
`,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === undefined) throw new UsageError('サブコマンドを指定してください');
    switch (sub) {
      case 'migrate':
        return runMigrate(rest, io);
      case 'status':
        return runStatus(rest, io);
      case 'check':
        return runCheck(rest, io);
      case 'add-org':
        return runAddOrg(rest, io);
      case 'audit':
        return runAudit(rest, io);
      default:
        throw new UsageError(`不明なサブコマンドです: ${sub}`);
    }
  },
};

async function runMigrate(args: string[], io: CliIO): Promise<number> {
  parseArgs(args, {});
  const store = await openStoreForCommand('db migrate', io.env, io.cwd, io.stderr, { migrate: false });
  if (!store) return 1;
  try {
    const r = await migrate(store.kysely, store.engine);
    if (r.applied.length === 0) io.stdout(`スキーマは最新です(版 ${r.to})\n`);
    else io.stdout(`スキーマを版 ${r.from} から版 ${r.to} に移行しました:\n${r.applied.map((a) => `  ${a}\n`).join('')}`);
    return 0;
  } catch (e) {
    io.stderr(`hoshin db migrate: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

async function runStatus(args: string[], io: CliIO): Promise<number> {
  parseArgs(args, {});
  const store = await openStoreForCommand('db status', io.env, io.cwd, io.stderr, { migrate: false });
  if (!store) return 1;
  try {
    const version = await schemaVersion(store.kysely, store.engine);
    io.stdout(`データベース: ${describeDatabaseUrl(io.env.HOSHIN_DATABASE_URL || DEFAULT_DATABASE_URL)}(${store.engine})\n`);
    io.stdout(`スキーマ: 版 ${version}(このHoshinは版 ${LATEST_SCHEMA_VERSION} まで対応)${version < LATEST_SCHEMA_VERSION ? ' — hoshin db migrate で移行できます' : ''}\n`);
    if (version > 0) {
      const [orgs, plans] = await Promise.all([store.listOrganizations(), store.listPlans()]);
      io.stdout(`組織: ${orgs.length} 件、計画: ${plans.length} 件、公開中: ${plans.filter((p) => p.publishedRevision !== null).length} 件\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}

async function runCheck(args: string[], io: CliIO): Promise<number> {
  parseArgs(args, {});
  const store = await openStoreForCommand('db check', io.env, io.cwd, io.stderr);
  if (!store) return 1;
  try {
    const problems = await store.integrityCheck();
    for (const p of problems) io.stderr(`整合性の問題: ${p}\n`);
    if (problems.length === 0) io.stdout('問題はありません\n');
    return problems.length > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}

async function runAddOrg(args: string[], io: CliIO): Promise<number> {
  const { positionals, options } = parseArgs(args, { values: ['name', 'kana', 'slug', 'code', 'city', 'kind'] });
  if (positionals.length > 0) throw new UsageError(`余分な引数があります: ${positionals.join(' ')}`);
  const { name, kana, slug, code, city: cityRef } = options as Record<string, string | undefined>;
  if (!name || !kana || !slug) throw new UsageError('--name、--kana、--slug は必須です');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(slug)) throw new UsageError(`スラッグは英小文字・数字・ハイフンで指定してください: ${slug}`);
  if (code !== undefined && !isValidLocalGovernmentCode(code)) throw new UsageError(`団体コード ${code} は正しくありません(6桁、最後の桁は検査数字)`);
  const kind = (options.kind ?? (cityRef ? (name.endsWith('区') ? 'ward' : 'other') : 'city')) as OrganizationKind;
  if (!KINDS.includes(kind)) throw new UsageError(`--kind には ${KINDS.join(' / ')} のいずれかを指定してください`);
  const store = await openStoreForCommand('db add-org', io.env, io.cwd, io.stderr);
  if (!store) return 1;
  try {
    let parentId: number | null = null;
    if (cityRef) {
      const city = await store.findOrganization(cityRef);
      if (!city) {
        io.stderr(`hoshin db add-org: 市「${cityRef}」が見つかりません\n`);
        return 1;
      }
      parentId = city.id;
    }
    const org = await store.createOrganization({ kind, name, kana, slug, code: code ?? null, parentId });
    await store.appendAudit({ actor: `cli:${io.env.USER ?? 'unknown'}`, action: 'organization.create', organizationId: org.id, detail: { name, slug, code: code ?? null } });
    io.stdout(`登録しました: ${org.name}(${org.slug}${org.code ? `、${org.code}` : ''})\n`);
    return 0;
  } catch (e) {
    io.stderr(`hoshin db add-org: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

async function runAudit(args: string[], io: CliIO): Promise<number> {
  const { positionals, options } = parseArgs(args, { values: ['output', 'city'], aliases: { o: 'output' } });
  if (positionals.length !== 0 && positionals.length !== 2) throw new UsageError('組織と年度は両方指定するか、両方省略してください');
  const store = await openStoreForCommand('db audit', io.env, io.cwd, io.stderr);
  if (!store) return 1;
  try {
    let planId: number | undefined;
    if (positionals.length === 2) {
      const [orgRef, yearRef] = positionals as [string, string];
      const fy = parseFiscalYear(yearRef);
      if (fy === undefined) throw new UsageError(`年度を読めません: ${yearRef}`);
      const org = await resolveOrganization(store, orgRef, typeof options.city === 'string' ? options.city : undefined).catch(ambiguityAsUsage);
      const plan = org && (await store.findPlan(org.id, fy));
      if (!plan) {
        io.stderr(`hoshin db audit: ${orgRef} の ${yearRef} 年度の計画はありません\n`);
        return 1;
      }
      planId = plan.id;
    }
    const csv = auditToCsv(await store.listAudit(planId === undefined ? {} : { planId }), await loadAuditCsvContext(store));
    if (typeof options.output === 'string') await writeFile(resolve(io.cwd, options.output), csv);
    else io.stdout(csv);
    return 0;
  } finally {
    await store.close();
  }
}
