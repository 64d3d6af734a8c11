import { serve as listen } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.ts';
import { bootstrap } from '../../server/bootstrap.ts';
import { openStoreForCommand } from '../../store/index.ts';
import { parseArgs } from '../args.ts';
import { UsageError, type Command } from '../command.ts';

const HELP = `使い方: hoshin serve [--port 番号] [--host アドレス]

Web サーバーを起動します(公開ページ、職員用の編集・承認画面、JSON API)。
初回起動時は、データベースを作成してサンプルの運営方針(西区 平成29年度)を公開し、
最初の管理者アカウント(ユーザー名 admin)を作成します。パスワードは環境変数
HOSHIN_ADMIN_PASSWORD で指定でき、指定がなければ生成して一度だけ表示します。

オプション:
  --port 番号      待ち受けるポート(既定: 環境変数 PORT、なければ 3000。0 で空きポート)
  --host アドレス  待ち受けるアドレス(既定: 環境変数 HOST、なければ 127.0.0.1)

環境変数:
  HOSHIN_DATABASE_URL    sqlite:./data/hoshin.sqlite(既定)または postgres://…
  HOSHIN_ADMIN_PASSWORD  初回起動時に作る管理者のパスワード
  HOSHIN_TRUST_PROXY=1   リバースプロキシの X-Forwarded-For / X-Forwarded-Proto を信頼する

例:
  npm start
  PORT=8080 HOSHIN_DATABASE_URL=postgres://hoshin@db/hoshin HOSHIN_TRUST_PROXY=1 hoshin serve --host 0.0.0.0
`;

export const command: Command = {
  name: 'serve',
  help: HELP,
  async run(args, io) {
    const { positionals, options } = parseArgs(args, { values: ['port', 'host'] });
    if (positionals.length > 0) throw new UsageError(`余分な引数があります: ${positionals.join(' ')}`);
    const portText = String(options['port'] ?? io.env.PORT ?? '3000');
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new UsageError(`ポート番号が不正です: ${portText}`);
    const host = String(options['host'] ?? io.env.HOST ?? '127.0.0.1');

    // A database it cannot use (newer schema, unreachable) is the user's to fix: say so, as the other commands do.
    const store = await openStoreForCommand('serve', io.env, io.cwd, io.stderr);
    if (!store) return 1;
    const first = await bootstrap(store, io.env);
    const app = createApp({ store, trustProxy: io.env.HOSHIN_TRUST_PROXY === '1' });

    const server = await new Promise<ReturnType<typeof listen>>((resolve) => {
      const s = listen({ fetch: app.fetch, port: Number(portText), hostname: host }, () => resolve(s));
    });
    const { port } = server.address() as AddressInfo;
    const url = `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;
    io.stdout(`Hoshin を起動しました: ${url}\n`);
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

    // Expired sessions are refused on read anyway; this only keeps the table small.
    const sweep = setInterval(() => void store.deleteExpiredSessions().catch(() => undefined), 3600_000);
    sweep.unref();
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        server.close(() => resolve());
        // Keep-alive connections would hold close() open.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    clearInterval(sweep);
    await store.close();
    io.stdout('Hoshin を停止しました。\n');
    return 0;
  },
};
