import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FORMAT_NAMES, parseDocumentAsync, pdfjsResources, renderDocument, type FormatName } from '../../formats/index.ts';
import { describeLayout } from '../../formats/text/document.ts';
import { READING_OPTION_NAMES, READING_OPTIONS_HELP, readingOptions } from '../reading-options.ts';
import { parseArgs } from '../args.ts';
import { UsageError, type Command } from '../command.ts';
import { formatDiagnostics } from '../diagnostics.ts';
import { readDocumentFile, readStdin } from '../read-input.ts';

export const command: Command = {
  name: 'convert',
  help: `使い方: hoshin convert FILE [--to json|json1|text|csv] [--layout 名前] [--year 年度] [-o OUT]

運営方針の文書(テキスト、または hoshin-plan/1・hoshin-plan/2 の JSON)を読み、別の形式で書き出します。
形式は内容と拡張子から判定します。データベースには何も保存しません。

オプション:
  --to json|json1|text|csv
                   出力形式(省略時: テキストなら json、JSON なら text)。json は hoshin-plan/2、
                   json1 は hoshin-plan/1(指標・振り返り・id などの /2 の項目を含めない)、
                   csv は具体的取組の一覧(オープンデータの CSV。BOM 付き UTF-8)
${READING_OPTIONS_HELP}
                   読めなかったときは、どの様式で読んだかを表示します
  -o, --output OUT 出力先ファイル(省略時: 標準出力)
  FILE に - を指定すると標準入力から読みます。

問題は「FILE:行: メッセージ」の形で標準エラーに出力します。
読めない文書は終了コード 1、使い方の誤りは 2 で終了します。

例:
  hoshin convert 平成29年度西区運営方針.txt
  hoshin convert nishi-2017.txt --to json -o nishi-2017.json
  hoshin convert nishi-2017.json --to text -o nishi-2017.txt
  hoshin convert nishi-2017.json --to json1 -o nishi-2017-v1.json
`,
  async run(args, io) {
    const { positionals, options } = parseArgs(args, { values: ['to', 'output', ...READING_OPTION_NAMES], aliases: { o: 'output' } });
    const reading = readingOptions(options);
    if (positionals.length !== 1) throw new UsageError('変換するファイルを1つ指定してください');
    const file = positionals[0]!;
    const to = options.to as string | undefined;
    if (to !== undefined && !FORMAT_NAMES.includes(to as FormatName)) {
      throw new UsageError(`--to には ${FORMAT_NAMES.join('・')} のいずれかを指定してください(指定: ${to})`);
    }
    const read = file === '-' ? { ok: true as const, bytes: await readStdin() } : await readDocumentFile(io.cwd, file);
    if (!read.ok) {
      io.stderr(`${file}: ${read.message}\n`);
      return 1;
    }
    const result = await parseDocumentAsync(read.bytes, file === '-' ? undefined : file, { pdf: pdfjsResources(), ...reading });
    io.stderr(formatDiagnostics(file, result.diagnostics));
    if (!result.plan) {
      // Which layout the refusal is against: another one (--layout) may read it.
      if (result.layout !== undefined) io.stderr(`${file}: レイアウト ${describeLayout(result.layout)} として読みました\n`);
      return 1;
    }
    const target: FormatName = (to as FormatName | undefined) ?? (result.format === 'json' ? 'text' : 'json');
    const output = renderDocument(result.plan, target);
    if (typeof options.output !== 'string') {
      io.stdout(output);
      return 0;
    }
    try {
      await writeFile(resolve(io.cwd, options.output), output);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? '書き込み先のフォルダがありません' : code === 'EACCES' ? '書き込む権限がありません' : (code ?? (e as Error).message);
      io.stderr(`${options.output}: 出力ファイルに書き込めません(${reason})\n`);
      return 1;
    }
    return 0;
  },
};
