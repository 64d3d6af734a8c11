/** What Hoshin writes to disk holds every plan, user and password hash: owner-only. */
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupStore } from '../../src/store/backup.ts';
import { createTestStore, openStore } from '../../src/store/index.ts';
import { describeEachEngine } from './engines.ts';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('SQLite database files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hoshin-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the database, its -wal and -shm owner-only (0600), and the data folder 0700', async () => {
    const path = join(dir, 'data', 'hoshin.sqlite');
    const store = await openStore(`sqlite:${path}`);
    try {
      await store.appendAudit({ actor: 'cli', action: 'test' });
      for (const f of [path, `${path}-wal`, `${path}-shm`]) {
        expect(existsSync(f), f).toBe(true);
        expect(mode(f).toString(8), f).toBe('600');
      }
      expect(mode(join(dir, 'data')).toString(8)).toBe('700');
    } finally {
      await store.close();
    }
  });
});

describeEachEngine('backup files', (engine) => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hoshin-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are created owner-only (0600)', async () => {
    const store = await createTestStore(engine);
    try {
      await store.appendAudit({ actor: 'cli', action: 'test' });
      const file = join(dir, engine === 'sqlite' ? 'b.sqlite' : 'b.jsonl');
      await backupStore(store, file);
      expect(mode(file).toString(8)).toBe('600');
      await expect(backupStore(store, file)).rejects.toThrow(/すでに存在します/);
    } finally {
      await store.close();
    }
  });
});
