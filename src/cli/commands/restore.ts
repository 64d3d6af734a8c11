import { resolve } from 'node:path';
import { RestoreRefusedError, restoreStore } from '../../store/backup.ts';
import { openStoreForCommand } from '../../store/index.ts';
import { parseArgs } from '../args.ts';
import { UsageError, type Command } from '../command.ts';

export const command: Command = {
  name: 'restore',
  help: `使い方: hoshin restore FILE [--force]

hoshin backup で作ったファイルから、HOSHIN_DATABASE_URL のデータベースを復元します。
SQLite のバックアップを PostgreSQL に(またはその逆に)復元することもできます。
復元は1つのトランザクションで行い、途中で失敗したときは何も変わりません。
復元先にすでにデータがあるときは、--force を指定しない限り復元しません(--force では全て置き換えます)。
サーバーを止めてから実行してください。

例:
  hoshin restore backups/hoshin-2026-04-01.sqlite
  HOSHIN_DATABASE_URL=postgres://hoshin@db/hoshin hoshin restore hoshin.sqlite
`,
  async run(args, io) {
    const { positionals, options } = parseArgs(args, { flags: ['force'] });
    if (positionals.length !== 1) throw new UsageError('復元するバックアップファイルを1つ指定してください');
    const store = await openStoreForCommand('restore', io.env, io.cwd, io.stderr);
    if (!store) return 1;
    try {
      const r = await restoreStore(store, resolve(io.cwd, positionals[0]!), { force: options.force === true });
      const problems = await store.integrityCheck();
      for (const p of problems) io.stderr(`hoshin restore: 整合性の問題: ${p}\n`);
      io.stdout(`復元しました: 計画 ${r.counts.plans} 件、版 ${r.counts.revisions} 件、監査ログ ${r.counts.audit_log} 件\n`);
      return problems.length > 0 ? 1 : 0;
    } catch (e) {
      io.stderr(`hoshin restore: ${e instanceof RestoreRefusedError ? '' : '復元できませんでした(何も変更していません): '}${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    } finally {
      await store.close();
    }
  },
};
