import { UsageError, type CliIO, type Command } from './command.ts';

/**
 * Every command, in the order `hoshin --help` lists them. Modules load only when their
 * command runs, so `convert` and `check` never load the store or the server.
 */
const COMMANDS: { name: string; summary: string; load: () => Promise<{ command: Command }> }[] = [
  { name: 'convert', summary: '文書を別の形式に変換する(保存はしない)', load: () => import('./commands/convert.ts') },
  { name: 'check', summary: '文書を検査して問題を表示する', load: () => import('./commands/check.ts') },
  { name: 'serve', summary: 'Web サーバーを起動する(公開ページ・編集・承認)', load: () => import('./commands/serve.ts') },
  { name: 'import', summary: '文書をデータベースに取り込む', load: () => import('./commands/import.ts') },
  { name: 'export', summary: '保存された計画を文書として書き出す', load: () => import('./commands/export.ts') },
  { name: 'list', summary: '保存された計画(または組織)の一覧を表示する', load: () => import('./commands/list.ts') },
  { name: 'backup', summary: 'データベースをバックアップする(稼働中でも一貫した状態で)', load: () => import('./commands/backup.ts') },
  { name: 'restore', summary: 'バックアップからデータベースを復元する', load: () => import('./commands/restore.ts') },
  { name: 'db', summary: 'データベースの管理(移行・状態・検査・組織の追加・監査ログ)', load: () => import('./commands/db.ts') },
];

const GENERAL_HELP = `hoshin — 区運営方針(PDCA)を扱うコマンド

使い方: hoshin <コマンド> [オプション]

コマンド:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join('\n')}

各コマンドの詳しい使い方: hoshin <コマンド> --help
`;

export function processIO(): CliIO {
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    isTTY: Boolean(process.stderr.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
    env: process.env,
  };
}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(GENERAL_HELP);
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`hoshin: 不明なコマンドです: ${name}\n\n${GENERAL_HELP}`);
    return 2;
  }
  const { command } = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`hoshin ${command.name}: ${e.message}\n\n${command.help}`);
      return 2;
    }
    // A bug, not bad input: say so briefly; the stack only when asked for.
    io.stderr(`hoshin ${command.name}: 内部エラーが発生しました: ${e instanceof Error ? e.message : String(e)}\n`);
    if (io.env.HOSHIN_DEBUG) io.stderr(`${e instanceof Error ? e.stack : ''}\n`);
    return 1;
  }
}
