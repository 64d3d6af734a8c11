/**
 * Osaka City (大阪市) and its 24 wards.
 *
 * Codes: 全国地方公共団体コード as published by 総務省 (https://www.soumu.go.jp/denshijiti/code.html,
 * the list 「都道府県コード及び市区町村コード」) and reproduced in 国土交通省 国土数値情報
 * 「行政コード」 (https://nlftp.mlit.go.jp/ksj/gmlold/codelist/AdminAreaCd.html). The five-digit
 * codes were checked against published copies of that list (JIS X 0402, 大阪府 27100–27128;
 * these machines have no network, so not against the 総務省 file itself — re-check on
 * update); the sixth digit is the check digit, recomputed for every entry by
 * test/store/local-government-code.test.ts. Note 27101, 27105, 27110 and 27112 are vacant
 * (the old 北・東・南・大淀 wards merged in 1989): 北区 is 27127, 中央区 27128.
 *
 * Slugs: the path of each ward office's site under https://www.city.osaka.lg.jp/ (e.g. /kita/,
 * /miyakojima/, /higashisumiyoshi/).
 */
import { OSAKA_RATING_SCALES } from '../../domain/pdca/rating-scales.ts';
import type { AnyDb } from '../engine/adapter.ts';
import type { OrganizationKind } from '../store.ts';

export interface OrganizationPreset {
  kind: OrganizationKind;
  name: string;
  kana: string;
  slug: string;
  code: string;
}

export const OSAKA_CITY: OrganizationPreset = { kind: 'city', name: '大阪市', kana: 'おおさかし', slug: 'osaka', code: '271004' };

export const OSAKA_WARDS: readonly OrganizationPreset[] = [
  { kind: 'ward', name: '都島区', kana: 'みやこじまく', slug: 'miyakojima', code: '271021' },
  { kind: 'ward', name: '福島区', kana: 'ふくしまく', slug: 'fukushima', code: '271039' },
  { kind: 'ward', name: '此花区', kana: 'このはなく', slug: 'konohana', code: '271047' },
  { kind: 'ward', name: '西区', kana: 'にしく', slug: 'nishi', code: '271063' },
  { kind: 'ward', name: '港区', kana: 'みなとく', slug: 'minato', code: '271071' },
  { kind: 'ward', name: '大正区', kana: 'たいしょうく', slug: 'taisho', code: '271080' },
  { kind: 'ward', name: '天王寺区', kana: 'てんのうじく', slug: 'tennoji', code: '271098' },
  { kind: 'ward', name: '浪速区', kana: 'なにわく', slug: 'naniwa', code: '271110' },
  { kind: 'ward', name: '西淀川区', kana: 'にしよどがわく', slug: 'nishiyodogawa', code: '271136' },
  { kind: 'ward', name: '東淀川区', kana: 'ひがしよどがわく', slug: 'higashiyodogawa', code: '271144' },
  { kind: 'ward', name: '東成区', kana: 'ひがしなりく', slug: 'higashinari', code: '271152' },
  { kind: 'ward', name: '生野区', kana: 'いくのく', slug: 'ikuno', code: '271161' },
  { kind: 'ward', name: '旭区', kana: 'あさひく', slug: 'asahi', code: '271179' },
  { kind: 'ward', name: '城東区', kana: 'じょうとうく', slug: 'joto', code: '271187' },
  { kind: 'ward', name: '阿倍野区', kana: 'あべのく', slug: 'abeno', code: '271195' },
  { kind: 'ward', name: '住吉区', kana: 'すみよしく', slug: 'sumiyoshi', code: '271209' },
  { kind: 'ward', name: '東住吉区', kana: 'ひがしすみよしく', slug: 'higashisumiyoshi', code: '271217' },
  { kind: 'ward', name: '西成区', kana: 'にしなりく', slug: 'nishinari', code: '271225' },
  { kind: 'ward', name: '淀川区', kana: 'よどがわく', slug: 'yodogawa', code: '271233' },
  { kind: 'ward', name: '鶴見区', kana: 'つるみく', slug: 'tsurumi', code: '271241' },
  { kind: 'ward', name: '住之江区', kana: 'すみのえく', slug: 'suminoe', code: '271250' },
  { kind: 'ward', name: '平野区', kana: 'ひらのく', slug: 'hirano', code: '271268' },
  { kind: 'ward', name: '北区', kana: 'きたく', slug: 'kita', code: '271276' },
  { kind: 'ward', name: '中央区', kana: 'ちゅうおうく', slug: 'chuo', code: '271284' },
];

/**
 * Osaka's rating scales, shipped: stored for 大阪市 (found by its code) where it exists and
 * has no scale of that name yet, so running it again, or on a database whose city was
 * renamed or removed, changes nothing. Runs in migrations (before the typed schema), hence the untyped handle.
 */
export async function seedOsakaRatingScales(db: AnyDb, now: string): Promise<number> {
  const city = (await db.selectFrom('organizations').select('id').where('code', '=', OSAKA_CITY.code).executeTakeFirst()) as { id: number } | undefined;
  if (!city) return 0;
  const rows = Object.entries(OSAKA_RATING_SCALES).map(([name, options]) => ({
    organization_id: Number(city.id),
    name,
    options: JSON.stringify(options),
    updated_at: now,
  }));
  const r = await db
    .insertInto('rating_scales')
    .values(rows)
    .onConflict((oc) => oc.columns(['organization_id', 'name']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n);
}
