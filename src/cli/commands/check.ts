import { hasErrors } from '../../domain/diagnostic.ts';
import { describeLayout } from '../../formats/text/document.ts';
import { READING_OPTION_NAMES, READING_OPTIONS_HELP, readingOptions } from '../reading-options.ts';
import { documentReader } from '../../app/read-document.ts';
import { parseArgs } from '../args.ts';
import { UsageError, type Command } from '../command.ts';
import { formatDiagnostics } from '../diagnostics.ts';
import { ProgressBar } from '../progress.ts';
import { readDocumentFile } from '../read-input.ts';

export const command: Command = {
  name: 'check',
  help: `使い方: hoshin check FILE... [--layout 名前] [--year 年度]

運営方針の文書(テキストまたは hoshin-plan/1・/2 JSON)を読み、問題をすべて表示します。
テキストは様式(レイアウト)を判定して読み、判定した様式を「FILE: レイアウト 名前(説明)」の形で
標準出力に表示します。
問題は「FILE:行: メッセージ」(警告は「FILE:行: warning: メッセージ」)の形で標準エラーに出ます。
誤りのあるファイルが1つでもあれば終了コード 1 で終了します(警告だけなら 0)。
複数のファイルを指定すると、端末では進み具合を表示し、最後に集計を表示します。

オプション:
  -q, --quiet   警告を表示しない
${READING_OPTIONS_HELP}

例:
  hoshin check 平成29年度西区運営方針.txt
  hoshin check plans/*.txt
  hoshin check --layout osaka-2017 平成29年度西区運営方針.txt
`,
  async run(args, io) {
    const { positionals, options } = parseArgs(args, { flags: ['quiet'], values: [...READING_OPTION_NAMES], aliases: { q: 'quiet' } });
    if (positionals.length === 0) throw new UsageError('検査するファイルを指定してください');
    const reading = readingOptions(options);
    const { layout } = reading;
    const many = positionals.length > 1;
    const progress = new ProgressBar(positionals.length, io.stderr, many && io.isTTY);
    let refused = 0;
    let warned = 0;
    for (const [i, file] of positionals.entries()) {
      progress.update(i, file);
      const read = await readDocumentFile(io.cwd, file);
      let report: string;
      if (!read.ok) {
        refused++;
        report = `${file}: ${read.message}\n`;
      } else {
        const result = await documentReader().read(read.bytes, file, reading);
        const { diagnostics } = result;
        if (result.layout !== undefined) {
          progress.clear();
          io.stdout(`${file}: レイアウト ${describeLayout(result.layout)}${layout === undefined ? '' : '(指定)'}\n`);
        }
        const shown = options.quiet ? diagnostics.filter((d) => d.severity === 'error') : diagnostics;
        if (hasErrors(diagnostics)) refused++;
        else if (diagnostics.length > 0) warned++;
        report = formatDiagnostics(file, shown);
      }
      if (report !== '') {
        progress.clear();
        io.stderr(report);
      }
    }
    progress.update(positionals.length);
    progress.clear();
    if (many) {
      const ok = positionals.length - refused;
      io.stderr(`検査 ${positionals.length} 件: 問題なし ${ok - warned} 件、警告のみ ${warned} 件、誤り ${refused} 件\n`);
    }
    return refused > 0 ? 1 : 0;
  },
};
