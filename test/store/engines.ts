/**
 * Runs a suite on every engine: SQLite always, PostgreSQL when HOSHIN_TEST_PG_URL is set
 * (eval "$(scripts/pg-test.sh start)"). Without it the PostgreSQL run is skipped loudly,
 * and fails under CI=true, where it must never be silently missing.
 */
import { describe, it } from 'vitest';
import type { Engine } from '../../src/store/index.ts';

const PG_MISSING = 'HOSHIN_TEST_PG_URL is not set: PostgreSQL store tests were NOT run. Start one with: eval "$(scripts/pg-test.sh start)"';

export function describeEachEngine(name: string, suite: (engine: Engine) => void): void {
  describe(`${name} [sqlite]`, () => suite('sqlite'));
  if (process.env.HOSHIN_TEST_PG_URL) {
    describe(`${name} [postgres]`, () => suite('postgres'));
  } else if (process.env.CI === 'true') {
    describe(`${name} [postgres]`, () => {
      it('needs PostgreSQL in CI', () => {
        throw new Error(PG_MISSING);
      });
    });
  } else {
    console.warn(`\n⚠ ${name}: ${PG_MISSING}\n`);
    describe.skip(`${name} [postgres] — SKIPPED: ${PG_MISSING}`, () => suite('postgres'));
  }
}
