import { existsSync } from 'node:fs';
import { hasErrors } from '../../domain/diagnostic.ts';
import { error } from '../../domain/diagnostic.ts';
import { documentReader } from '../../app/read-document.ts';
import { decodeDocument } from '../../formats/decode.ts';
import { jsonFieldLines } from '../../formats/json/field-lines.ts';
import { detectFormat, PLAN_FORMAT_2, toPlanJson, type PlanJson } from '../../formats/index.ts';
import { describeLayout } from '../../formats/text/document.ts';
import { READING_OPTION_NAMES, READING_OPTIONS_HELP, readingOptions } from '../reading-options.ts';
import { DEFAULT_DATABASE_URL, describeDatabaseUrl, openStoreForCommand, parseDatabaseUrl, type Organization, type SqlStore } from '../../store/index.ts';
import { ImportRefusedError, importPlan, previewImport, type ImportPreview } from '../../store/import-plan.ts';
import { LATEST_SCHEMA_VERSION, schemaVersion } from '../../store/migrations.ts';
import { DEFAULT_CITY } from '../../store/resolve.ts';
import { parseArgs } from '../args.ts';
import { UsageError, type Command } from '../command.ts';
import { formatDiagnostics } from '../diagnostics.ts';
import { ProgressBar } from '../progress.ts';
import { readDocumentFile } from '../read-input.ts';

export const command: Command = {
  name: 'import',
  help: `使い方: hoshin import FILE... [--city 市] [--layout 名前] [--year 年度] [--publish] [--dry-run [--json]]

運営方針の文書(テキスト、または hoshin-plan/1・hoshin-plan/2 の JSON)を読み、データベースに保存します。
hoshin-plan/2 の指標の測定値は計画の版とは別に保存します(同じ測定値は二重に保存しません)。
ファイルごとに1つのトランザクションで保存し、誤りのあるファイルは何も保存しません
(他のファイルはそれぞれ保存されます)。同じ組織・年度の計画があれば新しい版として保存し、
内容が同じなら何もしません。文書の区名は --city の市(既定: 大阪市)の中で探し、
見つからない区は警告を出して新しく登録します。

オプション:
  --city 市        区を探す市(スラッグ・名称・団体コード。既定: 環境変数 HOSHIN_CITY、なければ osaka)
${READING_OPTIONS_HELP}
                   取り込めなかったときは、どの様式で読んだかを表示します
  --publish        保存した版(指標・振り返りを含む)を公開する
  --dry-run        読み込みと検査だけを行い、何も保存しない。データベースがあれば読み取り専用で
                   開き、文書がどの組織の計画になるか(新しく登録される区があればその警告)を示す
  --json           --dry-run と一緒に使い、読み取った内容を hoshin-plan/2 JSON で標準出力に出す
  --author 名前    版と監査ログに記録する作成者(既定: cli:ログイン名)
  -m, --message    版のメッセージ(既定: 「取り込み: ファイル名」)
  -q, --quiet      警告を表示しない

データベースは環境変数 HOSHIN_DATABASE_URL で指定します(既定: sqlite:./data/hoshin.sqlite)。
問題は「FILE:行: メッセージ」(警告は「FILE:行: warning: メッセージ」)の形で標準エラーに出ます。
取り込めないファイルが1つでもあれば終了コード 1 で終了します。

例:
  hoshin import 平成29年度西区運営方針.txt
  hoshin import plans/*.txt --publish
  hoshin import sakai/*.txt --city sakai
  hoshin import nishi-2017.txt --dry-run --json
`,
  async run(args, io) {
    const { positionals, options } = parseArgs(args, {
      flags: ['publish', 'dry-run', 'json', 'quiet'],
      values: ['city', 'author', 'message', ...READING_OPTION_NAMES],
      aliases: { m: 'message', q: 'quiet' },
    });
    if (positionals.length === 0) throw new UsageError('取り込むファイルを指定してください');
    const reading = readingOptions(options);
    const dryRun = options['dry-run'] === true;
    if (options.json && !dryRun) throw new UsageError('--json は --dry-run と一緒に指定してください');
    if (options.publish && dryRun) throw new UsageError('--publish と --dry-run は同時に指定できません');
    const author = typeof options.author === 'string' ? options.author : `cli:${io.env.USER ?? io.env.LOGNAME ?? 'unknown'}`;
    const cityRef = typeof options.city === 'string' ? options.city : io.env.HOSHIN_CITY || DEFAULT_CITY;

    let store: SqlStore | undefined;
    let city: Organization | undefined;
    if (dryRun) {
      // A dry run reads the database when there is one, so it can say what a real import would
      // do with the ward (find it, or create it) and refuse an unknown --city as a real one does.
      const opened = await openForDryRun(io.env, io.cwd, io.stderr, options.quiet === true);
      if (opened === 'failed') return 1;
      store = opened;
    } else {
      store = await openStoreForCommand('import', io.env, io.cwd, io.stderr);
      if (!store) return 1;
    }
    if (store) {
      city = await store.findOrganization(cityRef);
      if (!city) {
        await store.close();
        io.stderr(`hoshin import: 市「${cityRef}」が見つかりません(hoshin list --orgs で一覧を表示できます)\n`);
        return 1;
      }
    }

    const many = positionals.length > 1;
    const progress = new ProgressBar(positionals.length, io.stderr, many && io.isTTY);
    const report = (s: string) => {
      progress.clear();
      io.stderr(s);
    };
    const plans: PlanJson[] = [];
    let refused = 0;
    let stored = 0;
    try {
      for (const [i, file] of positionals.entries()) {
        progress.update(i, file);
        const read = await readDocumentFile(io.cwd, file);
        if (!read.ok) {
          refused++;
          report(`${file}: ${read.message}\n`);
          continue;
        }
        const { plan, diagnostics, layout: readAs } = await documentReader().read(read.bytes, file, reading);
        const shown = options.quiet ? diagnostics.filter((d) => d.severity === 'error') : diagnostics;
        if (shown.length > 0) report(formatDiagnostics(file, shown));
        if (!plan || hasErrors(diagnostics)) {
          if (readAs !== undefined) report(`${file}: レイアウト ${describeLayout(readAs)} として読みました\n`);
          refused++;
          continue;
        }
        /** The store's refusal (a carriedFrom last year's plan lacks), each problem at its field and, in JSON, its line. */
        const refusal = (e: ImportRefusedError) => {
          const decoded = decodeDocument(read.bytes);
          const lines = decoded.ok && detectFormat(decoded.text, file) === 'json' ? jsonFieldLines(decoded.text) : undefined;
          const located = e.problems.map((p) => {
            const line = lines?.get(p.field);
            // formatDiagnostic names the field itself only when there is no line.
            return line === undefined ? error(p.message, { field: p.field }) : error(`${p.field}: ${p.message}`, { field: p.field, line });
          });
          report(formatDiagnostics(file, located));
          refused++;
        };
        if (dryRun) {
          let preview: ImportPreview | undefined;
          try {
            preview = store && city ? await previewImport(store, { plan, city }) : undefined;
          } catch (e) {
            if (!(e instanceof ImportRefusedError)) throw e;
            refusal(e);
            continue;
          }
          if (preview && !options.quiet) for (const w of preview.warnings) report(`${file}: warning: ${w}\n`);
          if (options.json) plans.push(toPlanJson(plan, PLAN_FORMAT_2));
          else if (preview) io.stdout(`${file}: ${preview.name}(${preview.slug})${plan.fiscalYear}年度 — 取り込めます: ${describePreview(preview)}(--dry-run のため保存していません)\n`);
          else io.stdout(`${file}: ${plan.organization} ${plan.fiscalYear}年度 — 取り込めます(--dry-run のため保存していません)\n`);
          continue;
        }
        try {
          const r = await importPlan(store!, {
            plan,
            city: city!,
            publish: options.publish === true,
            author,
            message: typeof options.message === 'string' ? options.message : `取り込み: ${file}`,
          });
          if (!options.quiet) for (const w of r.warnings) report(`${file}: warning: ${w}\n`);
          stored++;
          const what = r.outcome === 'unchanged' ? `変更なし(版 ${r.revision})` : `版 ${r.revision} を保存しました`;
          const measured = r.measurementsAdded > 0 ? `・測定値 ${r.measurementsAdded} 件を保存しました` : '';
          io.stdout(`${file}: ${r.organization.name}(${r.organization.slug})${plan.fiscalYear}年度 ${what}${measured}${r.published ? '・公開中' : ''}\n`);
        } catch (e) {
          if (e instanceof ImportRefusedError) {
            refusal(e);
            continue;
          }
          refused++;
          report(`${file}: 保存できませんでした(何も保存していません): ${e instanceof Error ? e.message : String(e)}\n`);
        }
      }
    } finally {
      progress.update(positionals.length);
      progress.clear();
      await store?.close();
    }
    if (options.json) io.stdout(`${JSON.stringify(plans.length === 1 ? plans[0] : plans, null, 2)}\n`);
    if (many) {
      io.stderr(dryRun ? `検査 ${positionals.length} 件: 取り込み可能 ${positionals.length - refused} 件、誤り ${refused} 件(保存していません)\n` : `取り込み ${positionals.length} 件: 保存 ${stored} 件、誤り ${refused} 件\n`);
    }
    return refused > 0 ? 1 : 0;
  },
};

function describePreview(p: ImportPreview): string {
  const ward = p.organization === undefined ? '区を新しく登録し、' : '';
  switch (p.outcome) {
    case 'created':
      return `${ward}新しい計画として版 1 を保存します`;
    case 'updated':
      return `版 ${p.revision} を保存します`;
    case 'unchanged':
      return `変更なし(版 ${p.revision})`;
  }
}

/**
 * The database for a dry run, opened read-only; undefined when there is none yet (a SQLite file
 * not created, an empty or older schema), so the document is only checked; 'failed' when the
 * database is there but cannot be opened (said on stderr, as a real import would).
 */
async function openForDryRun(env: NodeJS.ProcessEnv, cwd: string, stderr: (s: string) => void, quiet: boolean): Promise<SqlStore | undefined | 'failed'> {
  const url = env.HOSHIN_DATABASE_URL || DEFAULT_DATABASE_URL;
  const offline = (why: string) => {
    if (!quiet) stderr(`hoshin import: ${why}ため、文書だけを検査します(組織は確かめていません)\n`);
    return undefined;
  };
  let location;
  try {
    location = parseDatabaseUrl(url, cwd);
  } catch (e) {
    stderr(`hoshin import: データベースを開けません: ${e instanceof Error ? e.message : String(e)}\n`);
    return 'failed';
  }
  if (location.engine === 'sqlite' && (location.path === ':memory:' || !existsSync(location.path))) {
    return offline(`データベース(${describeDatabaseUrl(url)})がまだない`);
  }
  const store = await openStoreForCommand('import', env, cwd, stderr, { readOnly: true });
  if (!store) return 'failed';
  const version = await schemaVersion(store.kysely, store.engine);
  if (version < LATEST_SCHEMA_VERSION) {
    await store.close();
    // Reading an older schema could fail on what it lacks; a real import migrates it first.
    return offline(version === 0 ? `データベース(${describeDatabaseUrl(url)})が空の` : `データベースのスキーマが古い(版 ${version}、hoshin db migrate で移行できます)`);
  }
  return store;
}
