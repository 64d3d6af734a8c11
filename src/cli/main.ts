import { UsageError, type CliIO, type Command } from './command.ts';
import { command as check } from './commands/check.ts';
import { command as convert } from './commands/convert.ts';
import { command as serve } from './commands/serve.ts';
import { command as importCommand } from './commands/import.ts';
import { command as exportCommand } from './commands/export.ts';
import { command as list } from './commands/list.ts';
import { command as backup } from './commands/backup.ts';
import { command as restore } from './commands/restore.ts';
import { command as db } from './commands/db.ts';

/** Every command, in the order `hoshin --help` lists them. */
const COMMANDS: Command[] = [
  convert,
  check,
  serve,
  importCommand,
  exportCommand,
  list,
  backup,
  restore,
  db,
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
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`hoshin: 不明なコマンドです: ${name}\n\n${GENERAL_HELP}`);
    return 2;
  }
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
