import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIO } from './command.ts';

/**
 * A command's document to `-o OUT` or standard output. A PDF or workbook is not written to a
 * terminal (it would print binary noise); a write failure is said in Japanese, not thrown.
 * Returns the exit status.
 */
export async function writeOutput(io: CliIO, output: string | Uint8Array, path: string | undefined, command: string): Promise<number> {
  if (path === undefined) {
    if (typeof output !== 'string' && io.stdoutIsTTY) {
      io.stderr(`hoshin ${command}: PDF・Excel は端末に出力できません。-o で出力先のファイルを指定してください\n`);
      return 1;
    }
    io.stdout(output);
    return 0;
  }
  try {
    await writeFile(resolve(io.cwd, path), output);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? '書き込み先のフォルダがありません' : code === 'EACCES' ? '書き込む権限がありません' : (code ?? (e as Error).message);
    io.stderr(`${path}: 出力ファイルに書き込めません(${reason})\n`);
    return 1;
  }
  return 0;
}
