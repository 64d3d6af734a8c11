import { renderPlanDocument } from '../../app/documents.ts';
import { organizationNamer } from '../../app/open-data.ts';
import { DOCUMENT_FORMAT_NAMES, renderDocument, type DocumentFormatName } from '../../formats/index.ts';
import { withMeasurements } from '../../domain/pdca/measurements.ts';
import { openStoreForCommand } from '../../store/index.ts';
import { parseFiscalYear, resolveOrganization } from '../../store/resolve.ts';
import { parseArgs } from '../args.ts';
import { UsageError, type Command } from '../command.ts';
import { ambiguityAsUsage } from '../org-ref.ts';
import { writeOutput } from '../write-output.ts';

export const command: Command = {
  name: 'export',
  help: `使い方: hoshin export ORG FISCAL_YEAR [--format json|json1|text|csv|pdf|xlsx] [-o OUT] [--revision N | --published]

データベースに保存された計画を、hoshin-plan/2 JSON(指標の測定値を含む)、hoshin-plan/1 JSON
テキスト、CSV、PDF または Excel(.xlsx)で書き出します。
ORG は組織のスラッグ・名称・全国地方公共団体コード(例: nishi、西区、271063)。
FISCAL_YEAR は西暦(2017)または和暦(平成29、令和元年度)。
同じ名前の区が複数の市にあるときは --city で市を指定します。

オプション:
  --format json|json1|text|csv|pdf|xlsx
                      出力形式(既定: json = hoshin-plan/2。json1 = hoshin-plan/1。csv = 具体的取組の一覧。
                      pdf = 公表用の PDF。xlsx = 様式ごとのシートと一覧シートの Excel ファイル)。
                      json・pdf・xlsx は指標の測定値を含みます
  -o, --output OUT    出力先ファイル(省略時: 標準出力)
  --revision N        指定した版を書き出す(既定: 最新の版)
  --published         公開中の版を書き出す
  --city 市           ORG を区名として探す市

例:
  hoshin export nishi 2017 --format text
  hoshin export 西区 平成29 --format json -o nishi-2017.json
  hoshin export 271063 2017 --published
  hoshin export nishi 2017 --published --format pdf -o nishi-2017.pdf
`,
  async run(args, io) {
    const { positionals, options } = parseArgs(args, { values: ['format', 'output', 'revision', 'city'], flags: ['published'], aliases: { o: 'output' } });
    if (positionals.length !== 2) throw new UsageError('組織と年度を指定してください');
    const [orgRef, yearRef] = positionals as [string, string];
    const fiscalYear = parseFiscalYear(yearRef);
    if (fiscalYear === undefined) throw new UsageError(`年度を読めません: ${yearRef}(例: 2017、平成29)`);
    const format = (options.format ?? 'json') as DocumentFormatName;
    if (!DOCUMENT_FORMAT_NAMES.includes(format)) throw new UsageError(`--format には ${DOCUMENT_FORMAT_NAMES.join('・')} のいずれかを指定してください`);
    let revisionNumber: number | undefined;
    if (typeof options.revision === 'string') {
      revisionNumber = Number(options.revision);
      if (!Number.isInteger(revisionNumber) || revisionNumber < 1) throw new UsageError(`--revision には1以上の整数を指定してください: ${options.revision}`);
      if (options.published) throw new UsageError('--revision と --published は同時に指定できません');
    }

    const store = await openStoreForCommand('export', io.env, io.cwd, io.stderr);
    if (!store) return 1;
    try {
      const org = await resolveOrganization(store, orgRef, typeof options.city === 'string' ? options.city : undefined).catch(ambiguityAsUsage);
      if (!org) {
        io.stderr(`hoshin export: 組織「${orgRef}」が見つかりません(hoshin list --orgs で一覧を表示できます)\n`);
        return 1;
      }
      const plan = await store.findPlan(org.id, fiscalYear);
      if (!plan) {
        io.stderr(`hoshin export: ${org.name}(${org.slug})の${fiscalYear}年度の計画はありません\n`);
        return 1;
      }
      if (options.published && plan.publishedRevision === null) {
        io.stderr(`hoshin export: ${org.name}の${fiscalYear}年度の計画は公開されていません\n`);
        return 1;
      }
      const number = options.published ? plan.publishedRevision! : revisionNumber;
      const revision = await store.getRevision(plan.id, number);
      if (!revision) {
        io.stderr(`hoshin export: ${org.name}の${fiscalYear}年度の計画に版 ${number} はありません(最新は版 ${plan.currentRevision})\n`);
        return 1;
      }
      // Measurements are kept beside the plan, not in its revisions: /2, the PDF and the workbook carry them.
      const withValues = format === 'json' || format === 'pdf' || format === 'xlsx';
      const content = withValues ? withMeasurements(revision.plan, await store.listMeasurements(plan.id)) : revision.plan;
      const organization = await organizationNamer(store)(org);
      const output = format === 'pdf' || format === 'xlsx' ? await renderPlanDocument(content, format, { organization }) : renderDocument(content, format, organization);
      return await writeOutput(io, output, typeof options.output === 'string' ? options.output : undefined, 'export');
    } finally {
      await store.close();
    }
  },
};
