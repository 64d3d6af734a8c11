/**
 * nginx serving fixed bytes as static files: the practical ceiling the load bench compares
 * Hoshin with. Debian's nginx-light, installed with apt-get when missing, run as a
 * non-daemon child with its config, pid, logs and temp folders in a folder of its own.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { get } from './processes.ts';

const NGINX = process.env.HOSHIN_BENCH_NGINX ?? '/usr/sbin/nginx';

/** One URL nginx answers with a file's bytes and the content type Hoshin sent. */
export interface StaticFile {
  path: string;
  contentType: string;
  body: Buffer;
}

export interface RunningNginx {
  url: string;
  workers: number;
  version: string;
  stop: () => Promise<void>;
}

/** The nginx binary, installed from Debian's packages first if need be (the bench runs as root here). */
export function ensureNginx(log: (s: string) => void): string {
  if (existsSync(NGINX)) return NGINX;
  log('load: nginx is missing; installing Debian\'s nginx-light (apt-get update && apt-get install -y nginx-light)');
  execFileSync('sh', ['-c', 'apt-get update && apt-get install -y nginx-light'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (!existsSync(NGINX)) throw new Error(`nginx is still missing at ${NGINX} after installing nginx-light`);
  return NGINX;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const quoted = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;

/**
 * Starts nginx in `dir` (made readable by all, so its folders above must let others pass)
 * serving `files`; resolves when it answers the first one.
 */
export async function startNginx(dir: string, files: StaticFile[], log: (s: string) => void): Promise<RunningNginx> {
  const bin = ensureNginx(log);
  const www = join(dir, 'www');
  await mkdir(www, { recursive: true });
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(join(dir, 'temp', sub), { recursive: true });
  const locations: string[] = [];
  for (const [i, f] of files.entries()) {
    await writeFile(join(www, `file${i}`), f.body);
    // An exact location per URL, and no extension-based types: the content type is Hoshin's, as sent.
    locations.push(`    location = ${f.path} { default_type ${quoted(f.contentType)}; try_files /file${i} =404; }`);
  }
  const port = await freePort();
  const workers = Number(process.env.HOSHIN_BENCH_NGINX_WORKERS ?? availableParallelism());
  const conf = join(dir, 'nginx.conf');
  await writeFile(conf, `# Written by bench/load: static copies of Hoshin's pages, the ceiling to compare with.
worker_processes ${workers};
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    # The load generator keeps its connections: never make it reconnect (Node does not either).
    keepalive_requests 1000000;
    keepalive_timeout 65;
    client_body_temp_path ${join(dir, 'temp/body')};
    proxy_temp_path ${join(dir, 'temp/proxy')};
    fastcgi_temp_path ${join(dir, 'temp/fastcgi')};
    uwsgi_temp_path ${join(dir, 'temp/uwsgi')};
    scgi_temp_path ${join(dir, 'temp/scgi')};
    types { }
    server {
        listen 127.0.0.1:${port};
        root ${www};
${locations.join('\n')}
    }
}
`);
  // mktemp's 0700 would keep nginx's workers (user nobody) out of the files.
  execFileSync('chmod', ['-R', 'a+rX', dir]);
  await chmod(dir, 0o755);
  // nginx -v prints to standard error.
  const version = spawnSync(bin, ['-v'], { encoding: 'utf8' }).stderr.trim() || 'nginx';
  const child: ChildProcess = spawn(bin, ['-p', dir, '-e', join(dir, 'error.log'), '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited at start: ${stderr}`);
    try {
      if ((await get(`${url}${files[0]!.path}`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`nginx did not answer: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    workers,
    version: version.replace(/^nginx version: /, ''),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
