/**
 * `node [npm start's flags] bin/hoshin.js serve --port 0 [--workers N]` as a child process on `databaseUrl`, resolved
 * once it says where it listens: the real server, for the browser tests and the load bench.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/hoshin.js', import.meta.url));
const PACKAGE = fileURLToPath(new URL('../../package.json', import.meta.url));

/** The node options of `npm start` (package.json), so the tests and benches run the server as it is run. */
export function startScriptNodeFlags(): string[] {
  const start = (JSON.parse(readFileSync(PACKAGE, 'utf8')) as { scripts: Record<string, string> }).scripts['start'] ?? '';
  const m = /^node((?:\s+--\S+)*)\s+bin\/hoshin\.js serve$/.exec(start);
  if (!m) throw new Error(`package.json's start script is not "node [--flags] bin/hoshin.js serve": ${start}`);
  return m[1]!.trim().split(/\s+/).filter(Boolean);
}

export interface RunningHoshin {
  url: string;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startHoshin(
  databaseUrl: string,
  options: { cwd: string; adminPassword: string; workers?: number; timeoutMs?: number },
): Promise<RunningHoshin> {
  const args = [...startScriptNodeFlags(), BIN, 'serve', '--port', '0', ...(options.workers ? ['--workers', String(options.workers)] : [])];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, HOSHIN_DATABASE_URL: databaseUrl, HOSHIN_ADMIN_PASSWORD: options.adminPassword, PORT: '', HOSHIN_WORKERS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hoshin serve did not start:\n${output}`)), options.timeoutMs ?? 120_000);
    child.stdout!.on('data', () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m && output.includes('Ctrl+C')) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`hoshin serve exited (${child.exitCode ?? child.signalCode}):\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
