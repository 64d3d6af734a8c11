import { main } from '../../src/cli/main.ts';

/** `hoshin ARGV…` run in-process against one database, as a user in `cwd` would: what it printed and its exit code. */
export async function runHoshin(cwd: string, databaseUrl: string, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, cwd, env: { HOSHIN_DATABASE_URL: databaseUrl, USER: 'tester' } });
  return { code, stdout, stderr };
}
