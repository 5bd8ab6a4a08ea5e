/**
 * The reviewed alias table: a shape whose source code and name no longer exist under the same parent, but whose
 * territory became one current unit unchanged (撤县设区 / 撤县设市 with the same boundary). Each entry is checked
 * by hand against the State Council's approval, and only such one-to-one renames belong here: a unit split or
 * merged with others gets no alias, stays grey on the map, and is chosen in the list.
 *
 * Never match by name across prefectures (桥东区 and 城区 repeat), nor trust an old code: codes are reused
 * (邢台 130502/130503 were 桥东区/桥西区 until 2020; today they are 襄都区/信都区 with other boundaries).
 */
export interface Alias {
  /** Current parent of the unit (province or prefecture code; '' for the national map). */
  parent: string;
  /** Source code of the shape, if any. */
  fromCode?: string;
  /** Source name of the shape. */
  fromName: string;
  /** Current statistical division code. */
  to: string;
  /** What happened, and the approval it rests on. */
  why: string;
}

export const ALIASES: readonly Alias[] = [
  { parent: '500000', fromCode: '500228', fromName: '梁平县', to: '500155', why: '2016 年撤梁平县设梁平区，辖域不变' },
  { parent: '500000', fromCode: '500232', fromName: '武隆县', to: '500156', why: '2016 年撤武隆县设武隆区，辖域不变' },
  { parent: '410300', fromCode: '410381', fromName: '偃师市', to: '410307', why: '2021 年撤偃师市设偃师区，辖域不变（孟津县与吉利区合并为孟津区，不是一对一，不设别名）' },
  { parent: '410700', fromCode: '410728', fromName: '长垣县', to: '410783', why: '2019 年撤长垣县设长垣市，辖域不变' },
  { parent: '411600', fromCode: '411626', fromName: '淮阳县', to: '411603', why: '2019 年撤淮阳县设淮阳区，辖域不变' },
  { parent: '540000', fromCode: '542400', fromName: '那曲地区', to: '540600', why: '2017 年撤那曲地区设地级那曲市，辖域不变' },
];
