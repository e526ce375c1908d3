// Data the generator draws from: common surnames and given-name characters, places of hukou
// registration with their GB/T 2260 county codes, and street names. Plausible, not statistical.
import type { Rng } from './rng.ts';

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤';
const MALE_CHARS = '伟强磊军勇杰涛明超刚平辉鹏华飞斌宇浩凯健俊帆帅旭宁龙林波海鑫亮成建国志文博晨阳瑞泽昊轩';
const FEMALE_CHARS = '芳娜敏静丽艳娟霞秀英华慧巧美婷雪玲琳莉燕红梅萍洁颖晶佳欣怡悦琪涵雨诗瑶婉淑兰凤';

/** A plausible Chinese name: surname + one or two given-name characters. */
export function chineseName(rng: Rng, sex: 1 | 2, surname?: string): string {
  const s = surname ?? rng.pick([...SURNAMES]);
  const chars = [...(sex === 1 ? MALE_CHARS : FEMALE_CHARS)];
  return s + rng.pick(chars) + (rng.chance(0.7) ? rng.pick(chars) : '');
}

export function surnameOf(name: string): string {
  return [...name][0] ?? '王';
}

export interface HukouPlace {
  readonly province: string;
  readonly city: string;
  readonly county: string;
  /** GB/T 2260 county code, used as the citizen-ID address code. */
  readonly code: string;
  readonly hebei: boolean;
}

const p = (province: string, city: string, county: string, code: string): HukouPlace => ({ province, city, county, code, hebei: code.startsWith('13') });

/** Other counties people move from (D8=4): mostly elsewhere in Hebei, then the neighbouring provinces. */
export const OTHER_COUNTIES: readonly (readonly [HukouPlace, number])[] = [
  [p('河北省', '保定市', '竞秀区', '130602'), 8],
  [p('河北省', '邯郸市', '邯山区', '130402'), 6],
  [p('河北省', '唐山市', '路北区', '130203'), 5],
  [p('河北省', '沧州市', '运河区', '130903'), 5],
  [p('河北省', '邢台市', '襄都区', '130502'), 5],
  [p('河北省', '衡水市', '桃城区', '131102'), 4],
  [p('河南省', '郑州市', '中原区', '410102'), 3],
  [p('山东省', '济南市', '历下区', '370102'), 2],
  [p('山西省', '太原市', '小店区', '140105'), 2],
  [p('黑龙江省', '哈尔滨市', '道里区', '230102'), 1],
  [p('内蒙古自治区', '呼和浩特市', '新城区', '150102'), 1],
  [p('四川省', '成都市', '锦江区', '510104'), 1],
  [p('北京市', '北京市', '朝阳区', '110105'), 1],
  [p('天津市', '天津市', '和平区', '120101'), 1],
];

export const STREETS = ['建华南大街', '中山东路', '裕华路', '槐安路', '体育大街', '和平西路', '友谊大街', '胜利北街', '谈固南大街', '光华路'];
export const COMMUNITIES = ['光华社区', '建北社区', '育才社区', '东风社区', '永安社区', '跃进社区', '翠屏社区', '棉一社区'];
export const VILLAGES = ['东王', '西李', '南庄', '北辛庄', '大郭', '小马', '前进', '后屯'];

/** Foreign nationalities (ISO 3166 alpha-3) and their weights among foreign residents. */
export const NATIONALITIES: readonly (readonly [string, number])[] = [
  ['KOR', 5], ['JPN', 3], ['USA', 3], ['RUS', 2], ['DEU', 1], ['GBR', 1], ['FRA', 1], ['PAK', 2], ['IND', 1], ['VNM', 2],
];

const FOREIGN_GIVEN = ['Min-jun', 'Ji-woo', 'Haruto', 'Yui', 'James', 'Emily', 'Ivan', 'Anna', 'Lukas', 'Sophie', 'Ahmed', 'Linh'];
const FOREIGN_FAMILY = ['Kim', 'Park', 'Sato', 'Suzuki', 'Smith', 'Brown', 'Ivanov', 'Müller', 'Khan', 'Nguyen'];

export function foreignName(rng: Rng): string {
  return `${rng.pick(FOREIGN_GIVEN)} ${rng.pick(FOREIGN_FAMILY)}`;
}
