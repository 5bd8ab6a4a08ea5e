import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { Region } from '../../src/sdk/schemas/regions.js';
import { createRegionIndex, type RegionRecord } from '../../src/server/regions.js';
import { OUTPUT, buildRegions, formatRegions } from '../../scripts/build-regions.js';

const index = createRegionIndex();

/** Every record, walked from the top through `children` (so the walk itself checks the tree is connected). */
function allRecords(): RegionRecord[] {
  const out: RegionRecord[] = [];
  const walk = (parent?: string): void => {
    for (const child of index.children(parent) ?? []) {
      const record = index.get(child.code);
      assert.ok(record, `${child.code} is listed as a child but get() misses it`);
      out.push(record);
      walk(child.code);
    }
  };
  walk();
  return out;
}

const codes = (regions: { code: string }[] | undefined): string[] => (regions ?? []).map((r) => r.code);

test('the top level holds the 34 provincial-level units', () => {
  const top = index.children();
  assert.equal(top?.length, 34);
  assert.ok(top.every((r) => r.level === 'province'));
  assert.ok(top.every((r) => index.get(r.code)?.parent === null));
  for (const code of ['710000', '810000', '820000']) {
    assert.equal(index.get(code)?.hasChildren, false, `${code} is a leaf`);
    assert.deepEqual(index.children(code), []);
  }
  assert.equal(index.get('810000')?.name, '香港特别行政区');
});

test('a province lists its prefectures and the county-level units it administers directly', () => {
  const henan = index.children('410000');
  assert.ok(henan);
  assert.deepEqual(henan.find((r) => r.code === '410100'), {
    code: '410100', name: '郑州市', pinyin: 'zheng zhou shi', level: 'prefecture', hasChildren: true,
  });
  assert.deepEqual(henan.find((r) => r.code === '419001'), {
    code: '419001', name: '济源市', pinyin: 'ji yuan shi', level: 'prefecture', hasChildren: false,
  });
  assert.ok(!codes(henan).includes('419000'), 'the 省直辖县级行政区划 pseudo-city is skipped');

  const xiantao = index.get('429004');
  assert.deepEqual(xiantao, {
    code: '429004', name: '仙桃市', pinyin: 'xian tao shi', level: 'prefecture', hasChildren: false, parent: '420000',
  });
  for (const code of ['429005', '429006', '429021', '469001', '659001']) {
    assert.equal(index.get(code)?.level, 'prefecture', code);
    assert.equal(index.get(code)?.parent, `${code.slice(0, 2)}0000`, code);
  }
});

test('a prefecture lists its districts, counties and functional zones', () => {
  const zhengzhou = index.children('410100');
  assert.ok(zhengzhou?.every((r) => r.level === 'county' && !r.hasChildren));
  const byCode = new Map(zhengzhou?.map((r) => [r.code, r.name]));
  assert.equal(byCode.get('410105'), '金水区');
  assert.equal(byCode.get('410122'), '中牟县');
  assert.equal(byCode.get('410171'), '郑州经济技术开发区');
  assert.equal(byCode.get('410172'), '郑州高新技术产业开发区');
  assert.equal(byCode.get('410173'), '郑州航空港经济综合实验区');
});

test('municipalities skip the prefecture step', () => {
  for (const code of ['110000', '120000', '310000', '500000']) {
    const children = index.children(code);
    assert.ok(children && children.length > 0, code);
    assert.ok(children.every((r) => r.level === 'county'), `${code}'s children are all county level`);
  }
  assert.equal(index.children('110000')?.find((r) => r.code === '110101')?.name, '东城区');
  assert.equal(index.get('500229')?.parent, '500000', '城口县 (from the pseudo-city 5002 县) hangs off 重庆市');
  assert.equal(index.get('110100'), undefined, 'no 市辖区 pseudo-city');
});

test('prefectures without counties are leaves', () => {
  for (const code of ['441900', '442000', '460400', '620200']) {
    assert.equal(index.get(code)?.level, 'prefecture', code);
    assert.equal(index.get(code)?.hasChildren, false, code);
    assert.deepEqual(index.children(code), [], code);
  }
  assert.equal(index.get('620201'), undefined, 'the package’s placeholder area for 嘉峪关 is dropped');
});

test('unknown codes', () => {
  assert.equal(index.children('999999'), undefined);
  assert.equal(index.children('4101'), undefined);
  assert.equal(index.get('410199'), undefined);
  assert.deepEqual(index.ancestors('999999'), []);
  assert.equal(index.isWithin('999999', '999999'), false);
  assert.throws(() => index.orgNameFor('999999'), RangeError);
});

test('ancestors and isWithin', () => {
  assert.deepEqual(codes(index.ancestors('410105')), ['410000', '410100']);
  assert.deepEqual(codes(index.ancestors('110101')), ['110000']);
  assert.deepEqual(codes(index.ancestors('419001')), ['410000']);
  assert.deepEqual(index.ancestors('410000'), []);
  assert.equal(index.isWithin('410105', '410000'), true);
  assert.equal(index.isWithin('410105', '410100'), true);
  assert.equal(index.isWithin('410105', '410105'), true);
  assert.equal(index.isWithin('410105', '420000'), false);
  assert.equal(index.isWithin('410000', '410105'), false);
  assert.equal(index.isWithin('419001', '410100'), false, '济源 is not part of 郑州');
});

test('orgNameFor names the responsible emergency-management bureau', () => {
  const expected: Record<string, string> = {
    '410000': '河南省应急管理厅',
    '650000': '新疆维吾尔自治区应急管理厅',
    '110000': '北京市应急管理局',
    '500000': '重庆市应急管理局',
    '410100': '郑州市应急管理局',
    '222400': '延边朝鲜族自治州应急管理局',
    '410105': '郑州市金水区应急管理局',
    '110101': '北京市东城区应急管理局',
    '232761': '大兴安岭地区加格达奇区应急管理局',
    '410122': '中牟县应急管理局',
    '410184': '新郑市应急管理局',
    '500229': '城口县应急管理局',
    '520203': '六枝特区应急管理局',
    '410171': '郑州经济技术开发区应急管理局',
    '410173': '郑州航空港经济综合实验区应急管理局',
    '421171': '黄冈市龙感湖管理区应急管理局',
    '152571': '锡林郭勒盟乌拉盖管理区应急管理局',
    '419001': '济源市应急管理局',
    '429021': '神农架林区应急管理局',
    '441900': '东莞市应急管理局',
    '460321': '三沙市应急管理局',
    '710000': '应急管理部',
    '810000': '应急管理部',
    '820000': '应急管理部',
  };
  for (const [code, name] of Object.entries(expected)) assert.equal(index.orgNameFor(code), name, code);
});

test('bureau names identify one region each, except where a bureau deliberately takes several', () => {
  const byName = new Map<string, string[]>();
  for (const r of allRecords()) byName.set(index.orgNameFor(r.code), [...(byName.get(index.orgNameFor(r.code)) ?? []), r.code]);
  const shared = [...byName].filter(([, list]) => list.length > 1);
  assert.deepEqual(shared, [
    ['三沙市应急管理局', ['460300', '460321', '460322', '460323']],
    ['应急管理部', ['710000', '810000', '820000']],
  ]);
});

test('pinyin is toneless, lowercase and spaced; place-name polyphones read right', () => {
  const initials = (code: string): string => (index.get(code)?.pinyin ?? '').split(' ').map((s) => s[0]).join('');
  assert.ok(initials('410100').startsWith('zz'));
  const expected: Record<string, string> = {
    '430100': 'chang sha shi', // 长沙
    '500000': 'chong qing shi', // 重庆
    '350200': 'xia men shi', // 厦门
    '341500': 'lu an shi', // 六安
    '340300': 'beng bu shi', // 蚌埠
    '341600': 'bo zhou shi', // 亳州
    '441900': 'dong guan shi', // 东莞
    '440113': 'pan yu qu', // 番禺
    '130225': 'lao ting xian', // 乐亭
    '330382': 'yue qing shi', // 乐清
    '371722': 'shan xian', // 单县
    '410122': 'zhong mou xian', // 中牟
    '510117': 'pi du qu', // 郫都
    '653101': 'ka shi shi', // 喀什
    '310112': 'min hang qu', // 闵行
    '141024': 'hong tong xian', // 洪洞
    '140428': 'zhang zi xian', // 长子
    '150300': 'wu hai shi', // 乌海
    '620100': 'lan zhou shi', // 兰州
    '141100': 'lv liang shi', // 吕梁 (ü written v)
  };
  for (const [code, py] of Object.entries(expected)) assert.equal(index.get(code)?.pinyin, py, code);
});

test('every record is a valid Region and the tree is consistent', () => {
  const records = allRecords();
  assert.equal(records.length, JSON.parse(readFileSync(OUTPUT, 'utf8')).regions.length, 'every row is reachable from the top');
  for (const record of records) {
    const { parent, ...region } = record;
    assert.deepEqual(z.parse(Region, region), region);
    assert.match(record.pinyin, /^[a-z]+(?: [a-z]+)*$/, record.code);
    assert.equal(record.hasChildren, (index.children(record.code)?.length ?? 0) > 0, record.code);
    const expectedLevel = parent === null ? 'province' : index.get(parent)?.level === 'prefecture' ? 'county' : undefined;
    if (expectedLevel) assert.equal(record.level, expectedLevel, record.code);
    if (parent !== null) {
      // A child's code carries its province's two digits, and a prefecture's four when it has one.
      const prefix = index.get(parent)?.level === 'province' ? 2 : 4;
      assert.equal(record.code.slice(0, prefix), parent.slice(0, prefix), record.code);
    }
  }
  assert.match(index.vintage, /^2023 统计用区划代码/);
});

test('the committed regions.json is what scripts/build-regions.ts generates (run `npm run regions` if not)', () => {
  assert.equal(formatRegions(buildRegions()), readFileSync(OUTPUT, 'utf8'));
});

test("a staff token's area is one code prefix: exactly the divisions below it, for every division", () => {
  const all = (index.children() ?? []).flatMap((province) => index.area(province.code));
  assert.ok(all.length > 3000);
  for (const code of all) {
    const prefix = index.areaPrefix(code);
    assert.ok(prefix, `${code} has a prefix`);
    const sharing = all.filter((c) => c.startsWith(prefix));
    assert.deepEqual([...sharing].sort(), [...index.area(code)].sort(), `${code}: the prefix ${prefix} covers its area and nothing else`);
  }
  assert.equal(index.areaPrefix('410000'), '41');
  assert.equal(index.areaPrefix('410100'), '4101');
  assert.equal(index.areaPrefix('410105'), '410105');
  assert.equal(index.areaPrefix('999999'), undefined);
});
