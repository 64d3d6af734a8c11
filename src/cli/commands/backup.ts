import { resolve } from 'node:path';
import { backupStore } from '../../store/backup.ts';
import { openStoreForCommand } from '../../store/index.ts';
import { parseArgs } from '../args.ts';
import { UsageError, type Command } from '../command.ts';

export const command: Command = {
  name: 'backup',
  help: `使い方: hoshin backup FILE

データベース全体を FILE に書き出します。サーバーが動いていて書き込みが続いていても、
ある一時点の一貫した内容になります。既存のファイルは上書きしません。
SQLite ではそのまま開ける SQLite ファイルを、PostgreSQL では JSON Lines 形式のファイルを作ります。
どちらも hoshin restore で SQLite・PostgreSQL のどちらにも復元できます。

例:
  hoshin backup backups/hoshin-2026-04-01.sqlite
  HOSHIN_DATABASE_URL=postgres://hoshin@db/hoshin hoshin backup hoshin.jsonl
`,
  async run(args, io) {
    const { positionals } = parseArgs(args, {});
    if (positionals.length !== 1) throw new UsageError('バックアップ先のファイルを1つ指定してください');
    const store = await openStoreForCommand('backup', io.env, io.cwd, io.stderr);
    if (!store) return 1;
    try {
      const r = await backupStore(store, resolve(io.cwd, positionals[0]!));
      io.stdout(`バックアップしました: ${positionals[0]}(計画 ${r.counts.plans} 件、版 ${r.counts.revisions} 件、監査ログ ${r.counts.audit_log} 件)\n`);
      return 0;
    } catch (e) {
      io.stderr(`hoshin backup: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    } finally {
      await store.close();
    }
  },
};
