import { serve as listen } from '@hono/node-server';
import cluster, { type Address, type Worker } from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { readerLimitsFromEnv } from '../../app/read-document.ts';
import { projectFile } from '../../project-files.ts';
import type { BootstrapResult } from '../../server/bootstrap.ts';
import type { SqlStore } from '../../store/index.ts';
import { parseArgs } from '../args.ts';
import { UsageError, type CliIO, type Command } from '../command.ts';

const HELP = `使い方: hoshin serve [--port 番号] [--host アドレス] [--workers 数]

Web サーバーを起動します(公開ページ、職員用の編集・承認画面、JSON API)。
初回起動時は、データベースを作成してサンプルの運営方針(西区 平成29年度)を公開し、
最初の管理者アカウント(ユーザー名 admin)を作成します。パスワードは環境変数
HOSHIN_ADMIN_PASSWORD で指定でき、指定がなければ生成して一度だけ表示します。

オプション:
  --port 番号      待ち受けるポート(既定: 環境変数 PORT、なければ 3000。0 で空きポート)
  --host アドレス  待ち受けるアドレス(既定: 環境変数 HOST、なければ 127.0.0.1)
  --workers 数     同じポートで応答するプロセスの数(1〜64、または auto で CPU コア数。
                   既定: 環境変数 HOSHIN_WORKERS、なければ 1 プロセスのみ)。
                   各プロセスがデータベースに接続します(SQLite は WAL でプロセス間共有、
                   PostgreSQL も可)。異常終了したプロセスは起動し直します。

環境変数:
  HOSHIN_DATABASE_URL    sqlite:./data/hoshin.sqlite(既定)または postgres://…
  HOSHIN_ADMIN_PASSWORD  初回起動時に作る管理者のパスワード
  HOSHIN_TRUST_PROXY=1   リバースプロキシの X-Forwarded-For / X-Forwarded-Proto を信頼する
  HOSHIN_WORKERS         --workers と同じ
  HOSHIN_PUBLIC_CACHE_MB 公開ページ・ダウンロードの描画結果を各プロセスが保持する上限(MB、既定 32)
  HOSHIN_READ_TIMEOUT_S  取り込んだPDF・Excelファイルの読み込みを打ち切るまでの秒数(既定 60)
  HOSHIN_READ_MEMORY_MB  PDF・Excelファイルを読むワーカーのメモリ上限(MB、既定 1024)

例:
  npm start
  hoshin serve --workers auto
  PORT=8080 HOSHIN_DATABASE_URL=postgres://hoshin@db/hoshin HOSHIN_TRUST_PROXY=1 hoshin serve --host 0.0.0.0
`;

const BIN = projectFile('bin/hoshin.js');
export const MAX_WORKERS = 64;
/** A request still running when a stop is asked gets this long to finish before its connection is cut. */
const DRAIN_MS = 5_000;
/** After this long, workers that have not stopped are killed: a stop must end. */
const WORKER_STOP_MS = 15_000;
/** More crashes than this within CRASH_WINDOW_MS: something is wrong for good, stop instead of looping. */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 60_000;
/** Set in multi-process mode, so logs and tests can tell which process answered. */
export const WORKER_HEADER = 'X-Hoshin-Worker';

interface Settings {
  port: number;
  host: string;
  /** undefined: one process, as before --workers existed. */
  workers: number | undefined;
  /** Bytes of rendered public responses each process keeps (HOSHIN_PUBLIC_CACHE_MB); undefined: the cache's default. */
  publicCacheBytes: number | undefined;
}

function readSettings(args: string[], env: NodeJS.ProcessEnv): Settings {
  const { positionals, options } = parseArgs(args, { values: ['port', 'host', 'workers'] });
  if (positionals.length > 0) throw new UsageError(`余分な引数があります: ${positionals.join(' ')}`);
  const portText = String(options['port'] ?? env.PORT ?? '3000');
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new UsageError(`ポート番号が不正です: ${portText}`);
  const host = String(options['host'] ?? env.HOST ?? '127.0.0.1');
  const workersText = options['workers'] ?? (env.HOSHIN_WORKERS || undefined);
  const cacheText = env.HOSHIN_PUBLIC_CACHE_MB || undefined;
  if (cacheText !== undefined && (!/^\d{1,5}$/.test(cacheText) || Number(cacheText) < 1)) {
    throw new UsageError(`HOSHIN_PUBLIC_CACHE_MB が不正です: ${cacheText}(1 以上の整数、MB 単位)`);
  }
  // Read when the first document is, but checked now: a typo stops the start, not an upload.
  try {
    readerLimitsFromEnv(env);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return {
    port: Number(portText),
    host,
    workers: workersText === undefined ? undefined : parseWorkers(String(workersText)),
    publicCacheBytes: cacheText === undefined ? undefined : Number(cacheText) * 1024 * 1024,
  };
}

export function parseWorkers(text: string): number {
  if (text === 'auto') return Math.min(MAX_WORKERS, availableParallelism());
  if (!/^\d{1,3}$/.test(text) || Number(text) < 1 || Number(text) > MAX_WORKERS) {
    throw new UsageError(`プロセス数(--workers)が不正です: ${text}(1〜${MAX_WORKERS} の整数、または auto)`);
  }
  return Number(text);
}

export const command: Command = {
  name: 'serve',
  help: HELP,
  async run(args, io) {
    const settings = readSettings(args, io.env);
    if (cluster.isWorker) {
      try {
        return await runWorker(settings, io);
      } finally {
        // The IPC channel would keep a worker alive after it is done, a failed one included.
        // Through the cluster's own disconnect, so the process keeps its exit status (a bare
        // process.disconnect() makes node:cluster exit the worker with 0).
        if (process.connected) cluster.worker?.disconnect();
      }
    }
    if (settings.workers === undefined) return runSingle(settings, io);
    return runPrimary(args, settings, settings.workers, io);
  },
};

/**
 * The store, migrated or only checked. The store, the server and the formats are loaded only
 * by the processes that serve: the primary of --workers holds none of them in memory.
 */
async function openStore(io: CliIO, migrate: boolean): Promise<SqlStore | undefined> {
  const { openStoreForCommand } = await import('../../store/index.ts');
  // A database it cannot use (newer schema, unreachable) is the user's to fix: say so, as the other commands do.
  return openStoreForCommand('serve', io.env, io.cwd, io.stderr, { migrate });
}

async function firstStart(store: SqlStore, env: NodeJS.ProcessEnv): Promise<BootstrapResult> {
  const { bootstrap } = await import('../../server/bootstrap.ts');
  return bootstrap(store, env);
}

/** Set by the primary on the first worker it forks: that one migrates and does the first start's setup. */
const FIRST_WORKER_ENV = 'HOSHIN_SERVE_FIRST_WORKER';
interface BootstrappedMessage {
  type: 'hoshin:bootstrapped';
  first: BootstrapResult;
}
const isBootstrapped = (m: unknown): m is BootstrappedMessage => (m as { type?: unknown } | null)?.type === 'hoshin:bootstrapped';

type HttpServer = ReturnType<typeof listen>;

async function startServer(store: SqlStore, settings: Settings, io: CliIO, workerId?: number): Promise<HttpServer> {
  // Loaded here, not at the top: the primary of --workers serves nothing and need not hold the app in memory.
  const { createApp } = await import('../../server/app.ts');
  const { PublishedCache } = await import('../../server/published/cache.ts');
  const app = createApp({
    store,
    trustProxy: io.env.HOSHIN_TRUST_PROXY === '1',
    ...(settings.publicCacheBytes === undefined ? {} : { publishedCache: new PublishedCache({ maxBytes: settings.publicCacheBytes }) }),
  });
  return new Promise<HttpServer>((resolve, reject) => {
    const s = listen({ fetch: app.fetch, port: settings.port, hostname: settings.host }, () => resolve(s));
    s.once('error', reject);
    // Before the app's own listener, so the header is set however early the app answers.
    if (workerId !== undefined) s.prependListener('request', (_req, res) => res.setHeader(WORKER_HEADER, String(workerId)));
  });
}

/**
 * Stops taking connections, lets requests in progress finish (idle keep-alive connections
 * are closed at once), and cuts whatever is left after DRAIN_MS.
 */
function stopServer(server: HttpServer): Promise<void> {
  return new Promise<void>((resolve) => {
    const s = server as HttpServer & { closeIdleConnections?: () => void; closeAllConnections?: () => void };
    const cut = setTimeout(() => s.closeAllConnections?.(), DRAIN_MS);
    cut.unref();
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    s.closeIdleConnections?.();
  });
}

/** Resolves on the first SIGINT or SIGTERM (or `also`, if given), after which the handlers are removed. */
function stopRequested(also?: (stop: () => void) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    also?.(stop);
  });
}

/** Expired sessions are refused on read anyway; this only keeps the table small. */
function sweepSessions(store: SqlStore): NodeJS.Timeout {
  const sweep = setInterval(() => void store.deleteExpiredSessions().catch(() => undefined), 3600_000);
  sweep.unref();
  return sweep;
}

function urlOf(host: string, port: number): string {
  return `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;
}

function announce(io: CliIO, url: string, first: BootstrapResult, workers?: number): void {
  io.stdout(workers === undefined ? `Hoshin を起動しました: ${url}\n` : `Hoshin を起動しました: ${url}(${workers} プロセス)\n`);
  if (first.seeded) io.stdout(`サンプルの運営方針を公開しました: ${url}/plans/${first.seeded.slug}/${first.seeded.fiscalYear}\n`);
  if (first.admin) {
    io.stdout(`\n管理者アカウントを作成しました。${url}/signin からサインインしてください。\n`);
    io.stdout(`  ユーザー名: ${first.admin.username}\n`);
    io.stdout(first.admin.generated
      ? `  パスワード: ${first.admin.password}\n  (このパスワードは今回だけ表示されます。控えておき、サインイン後に管理画面で変更してください。)\n`
      : '  パスワード: 環境変数 HOSHIN_ADMIN_PASSWORD の値\n');
    io.stdout('編集者・承認者・市の企画担当のアカウントは、管理者が管理画面(/admin)で作成します。\n');
  }
  io.stdout('停止するには Ctrl+C を押してください。\n');
}

async function runSingle(settings: Settings, io: CliIO): Promise<number> {
  const store = await openStore(io, true);
  if (!store) return 1;
  const first = await firstStart(store, io.env);
  let server: HttpServer;
  try {
    server = await startServer(store, settings, io);
  } catch (e) {
    await store.close();
    io.stderr(`hoshin serve: ${listenFailure(settings, e)}\n`);
    return 1;
  }
  announce(io, urlOf(settings.host, (server.address() as AddressInfo).port), first);
  const sweep = sweepSessions(store);
  await stopRequested();
  await stopServer(server);
  clearInterval(sweep);
  await store.close();
  io.stdout('Hoshin を停止しました。\n');
  return 0;
}

function listenFailure(settings: Settings, e: unknown): string {
  const code = (e as { code?: string } | null)?.code;
  if (code === 'EADDRINUSE') return `ポート ${settings.port} は既に使われています(--port で別のポートを指定してください)`;
  if (code === 'EACCES') return `ポート ${settings.port} で待ち受ける権限がありません`;
  return `${settings.host}:${settings.port} で待ち受けできません: ${e instanceof Error ? e.message : String(e)}`;
}

/**
 * One worker of `--workers N`: its own store connection, the port shared through
 * node:cluster. The first one migrates and does the first start's setup, and tells the
 * primary before the others start; the others only check the schema. A worker stops on a
 * signal, or when the primary goes away (its IPC channel closes), so none outlives it.
 */
async function runWorker(settings: Settings, io: CliIO): Promise<number> {
  const isFirst = process.env[FIRST_WORKER_ENV] === '1';
  const store = await openStore(io, isFirst);
  if (!store) return 1;
  if (isFirst) {
    const message: BootstrappedMessage = { type: 'hoshin:bootstrapped', first: await firstStart(store, io.env) };
    process.send?.(message);
  }
  const id = cluster.worker?.id ?? 0;
  let server: HttpServer;
  try {
    server = await startServer(store, settings, io, id);
  } catch (e) {
    await store.close();
    io.stderr(`hoshin serve: ${listenFailure(settings, e)}\n`);
    return 1;
  }
  const sweep = sweepSessions(store);
  await stopRequested((stop) => process.once('disconnect', stop));
  await stopServer(server);
  clearInterval(sweep);
  await store.close();
  return 0;
}

/**
 * V8's heap settings for a server process (docs/performance.md, "Memory"): a young generation
 * of 2 MB semi-spaces instead of V8's up to 16 MB, which a server under load grows to and
 * keeps; and an old generation capped at 512 MB, which also makes V8 let it grow past what is
 * live by a smaller factor (the default cap, a quarter of the machine's memory, lets it
 * quadruple). Far above what a server holds: its cache is 32 MB, and PDFs and workbooks are
 * read in worker threads with heaps of their own. `npm start` passes them; the workers of
 * `--workers N` are given them here, unless the operator set them.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--max-old-space-size=512'];

/** `execArgv` with each of SERVER_NODE_FLAGS the operator did not set. */
export function withServerNodeFlags(execArgv: readonly string[]): string[] {
  const name = (flag: string) => flag.split('=')[0]!.replace(/_/g, '-');
  const given = new Set(execArgv.map(name));
  return [...execArgv, ...SERVER_NODE_FLAGS.filter((f) => !given.has(name(f)))];
}

/**
 * The primary of `--workers N`: forks the workers (each `hoshin serve` again; the first one
 * alone until it has migrated and set up a first start), reports the URL once all listen,
 * restarts a worker that crashes, and on SIGINT/SIGTERM stops them all and waits for them.
 */
async function runPrimary(args: string[], settings: Settings, count: number, io: CliIO): Promise<number> {
  cluster.setupPrimary({ exec: BIN, args: ['serve', ...args], execArgv: withServerNodeFlags(process.execArgv) });
  const live = new Set<Worker>();
  let stopping = false;
  let started = false;
  const crashes: number[] = [];
  let failed: string | undefined;
  let wake: () => void = () => undefined;

  const fork = (env: Record<string, string> = {}) => {
    const w = cluster.fork(env);
    live.add(w);
    w.on('exit', (code, signal) => {
      live.delete(w);
      if (stopping) return wake();
      // A worker stopped by a signal of its own (Ctrl+C reaches the whole process group) ends the server.
      if (code === 0) {
        stopping = true;
        return wake();
      }
      const why = signal ? `シグナル ${signal}` : `終了コード ${code}`;
      if (!started) {
        failed = `プロセスを起動できませんでした(${why})`;
        stopping = true;
        return wake();
      }
      const now = Date.now();
      crashes.push(now);
      while (crashes.length > 0 && crashes[0]! < now - CRASH_WINDOW_MS) crashes.shift();
      if (crashes.length > MAX_CRASHES) {
        failed = `プロセスが ${CRASH_WINDOW_MS / 1000} 秒間に ${crashes.length} 回異常終了したため、停止します`;
        stopping = true;
        return wake();
      }
      io.stderr(`hoshin serve: プロセス ${w.process.pid} が異常終了しました(${why})。起動し直します。\n`);
      fork();
    });
  };

  const listening = new Promise<number>((resolve) => {
    const ready = new Set<number>();
    const onListening = (w: Worker, address: Address) => {
      ready.add(w.id);
      if (ready.size === count) {
        cluster.off('listening', onListening);
        resolve(address.port);
      }
    };
    cluster.on('listening', onListening);
  });
  const stopped = stopRequested((stop) => (wake = stop));
  const bootstrapped = new Promise<BootstrapResult>((resolve) => {
    const onMessage = (_w: Worker, message: unknown) => {
      if (!isBootstrapped(message)) return;
      cluster.off('message', onMessage);
      resolve(message.first);
    };
    cluster.on('message', onMessage);
  });
  // Two processes migrating or seeding an empty database at once would race: the first goes alone.
  fork({ [FIRST_WORKER_ENV]: '1' });
  const first = await Promise.race([bootstrapped, stopped.then(() => undefined)]);
  if (first && !stopping) for (let i = 1; i < count; i++) fork();

  const port = first && !stopping ? await Promise.race([listening, stopped.then(() => undefined)]) : undefined;
  if (first && port !== undefined && !stopping) {
    started = true;
    announce(io, urlOf(settings.host, port), first, count);
    await stopped;
  }
  stopping = true;

  await new Promise<void>((resolve) => {
    const done = () => {
      if (live.size === 0) resolve();
    };
    wake = done;
    for (const w of live) w.process.kill('SIGTERM');
    const kill = setTimeout(() => {
      for (const w of live) w.process.kill('SIGKILL');
    }, WORKER_STOP_MS);
    kill.unref();
    done();
  });
  if (failed) {
    io.stderr(`hoshin serve: ${failed}\n`);
    return 1;
  }
  io.stdout('Hoshin を停止しました。\n');
  return 0;
}
