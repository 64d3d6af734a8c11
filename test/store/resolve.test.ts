import { describe, expect, it } from 'vitest';
import { parseFiscalYear } from '../../src/store/resolve.ts';
import { parseDatabaseUrl, describeDatabaseUrl } from '../../src/store/index.ts';

describe('parseFiscalYear', () => {
  it('reads 西暦 and 和暦, with or without 年度, in half- or full-width digits', () => {
    expect(parseFiscalYear('2017')).toBe(2017);
    expect(parseFiscalYear('2017年度')).toBe(2017);
    expect(parseFiscalYear('平成29')).toBe(2017);
    expect(parseFiscalYear('平成29年度')).toBe(2017);
    expect(parseFiscalYear('令和元年度')).toBe(2019);
    expect(parseFiscalYear('令和２年度')).toBe(2020);
    expect(parseFiscalYear('someday')).toBeUndefined();
    expect(parseFiscalYear('架空29')).toBeUndefined();
  });
});

describe('database URLs', () => {
  it('reads sqlite paths relative to the working directory and postgres URLs with a schema', () => {
    expect(parseDatabaseUrl('sqlite:./data/x.sqlite', '/srv/hoshin')).toEqual({ engine: 'sqlite', path: '/srv/hoshin/data/x.sqlite' });
    expect(parseDatabaseUrl('sqlite:/var/lib/h.sqlite', '/srv')).toEqual({ engine: 'sqlite', path: '/var/lib/h.sqlite' });
    expect(parseDatabaseUrl('postgres://u:p@db:5432/hoshin?schema=ward')).toEqual({ engine: 'postgres', connectionString: 'postgres://u:p@db:5432/hoshin', schema: 'ward' });
    expect(() => parseDatabaseUrl('postgres://db/h?schema=x;drop')).toThrow(/スキーマ名/);
    expect(parseDatabaseUrl('postgres://u@db/hoshin?pool=30&schema=ward&sslmode=require')).toEqual({ engine: 'postgres', connectionString: 'postgres://u@db/hoshin?sslmode=require', schema: 'ward', pool: 30 });
    for (const bad of ['0', '-1', '2.5', 'many', '201', '']) expect(() => parseDatabaseUrl(`postgres://db/h?pool=${bad}`)).toThrow(/接続プール/);
    expect(() => parseDatabaseUrl('mysql://db/h')).toThrow(/HOSHIN_DATABASE_URL/);
    expect(describeDatabaseUrl('postgres://u:secret@db/h')).toBe('postgres://u:***@db/h');
  });
});
