import { renderPlanDocument } from '../../app/documents.ts';
import { documentReader } from '../../app/read-document.ts';
import { DOCUMENT_FORMAT_NAMES, renderDocument, type DocumentFormatName } from '../../formats/index.ts';
import { describeLayout } from '../../formats/text/document.ts';
import { READING_OPTION_NAMES, READING_OPTIONS_HELP, readingOptions } from '../reading-options.ts';
import { parseArgs } from '../args.ts';
import { UsageError, type Command } from '../command.ts';
import { formatDiagnostics } from '../diagnostics.ts';
import { readDocumentFile, readStdin } from '../read-input.ts';
import { writeOutput } from '../write-output.ts';

export const command: Command = {
  name: 'convert',
  help: `使い方: hoshin convert FILE [--to json|json1|text|csv|pdf|xlsx] [--layout 名前] [--year 年度] [-o OUT]

運営方針の文書(テキスト、PDF、Excel(.xlsx)、または hoshin-plan/1・hoshin-plan/2 の JSON)を読み、
別の形式で書き出します。
形式は内容と拡張子から判定します。データベースには何も保存しません。

オプション:
  --to json|json1|text|csv|pdf|xlsx
                   出力形式(省略時: JSON なら text、それ以外なら json)。json は hoshin-plan/2、
                   json1 は hoshin-plan/1(指標・振り返り・id などの /2 の項目を含めない)、
                   csv は具体的取組の一覧(オープンデータの CSV。BOM 付き UTF-8)、
                   pdf は公表用の PDF(A4)、xlsx は様式ごとのシートと一覧シートの Excel ファイル
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
  hoshin convert nishi-2017.txt --to pdf -o nishi-2017.pdf
  hoshin convert nishi-2017.xlsx --to json -o nishi-2017.json
`,
  async run(args, io) {
    const { positionals, options } = parseArgs(args, { values: ['to', 'output', ...READING_OPTION_NAMES], aliases: { o: 'output' } });
    const reading = readingOptions(options);
    if (positionals.length !== 1) throw new UsageError('変換するファイルを1つ指定してください');
    const file = positionals[0]!;
    const to = options.to as string | undefined;
    if (to !== undefined && !DOCUMENT_FORMAT_NAMES.includes(to as DocumentFormatName)) {
      throw new UsageError(`--to には ${DOCUMENT_FORMAT_NAMES.join('・')} のいずれかを指定してください(指定: ${to})`);
    }
    const read = file === '-' ? { ok: true as const, bytes: await readStdin() } : await readDocumentFile(io.cwd, file);
    if (!read.ok) {
      io.stderr(`${file}: ${read.message}\n`);
      return 1;
    }
    const result = await documentReader().read(read.bytes, file === '-' ? undefined : file, reading);
    io.stderr(formatDiagnostics(file, result.diagnostics));
    if (!result.plan) {
      // Which layout the refusal is against: another one (--layout) may read it.
      if (result.layout !== undefined) io.stderr(`${file}: レイアウト ${describeLayout(result.layout)} として読みました\n`);
      return 1;
    }
    const target: DocumentFormatName = (to as DocumentFormatName | undefined) ?? (result.format === 'json' ? 'text' : 'json');
    const output = target === 'pdf' || target === 'xlsx' ? await renderPlanDocument(result.plan, target) : renderDocument(result.plan, target);
    return writeOutput(io, output, typeof options.output === 'string' ? options.output : undefined, 'convert');
  },
};
