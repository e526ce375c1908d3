// Code lists of the census forms: every coded answer with its printed code and a Chinese and
// English label. This is data a census office may correct (several lists are unverified, see
// census-forms.md confidence tags); logic refers to codes through the named constants below.

/** One printed code of a census item. */
export interface Code<V extends number | string = number> {
  readonly code: V;
  readonly zh: string;
  readonly en: string;
}

export type CodeList<V extends number | string = number> = readonly Code<V>[];

const c = <V extends number | string>(code: V, zh: string, en: string): Code<V> => ({ code, zh, en });

/** H1 户别 */
export const HOUSEHOLD_TYPE = [c(1, '家庭户', 'Family household'), c(2, '集体户', 'Collective household')];

/** H5 住所类型 */
export const DWELLING_TYPE = [
  c(1, '普通住宅', 'Ordinary dwelling'),
  c(2, '集体住所', 'Collective quarters'),
  c(3, '工作地住所', 'Living at the workplace'),
  c(4, '其他住房', 'Other housing'),
  c(5, '无住房', 'No dwelling'),
];
export const DWELLING_ORDINARY = 1;

/** D2 / C2 与户主关系 */
export const RELATIONSHIP = [
  c(0, '户主', 'Head of household'),
  c(1, '配偶', 'Spouse'),
  c(2, '子女', 'Child'),
  c(3, '父母', 'Parent'),
  c(4, '岳父母或公婆', 'Parent-in-law'),
  c(5, '祖父母', 'Grandparent'),
  c(6, '媳婿', 'Child-in-law'),
  c(7, '孙子女', 'Grandchild'),
  c(8, '兄弟姐妹', 'Sibling'),
  c(9, '其他', 'Other'),
];
export const REL = {
  head: 0,
  spouse: 1,
  child: 2,
  parent: 3,
  parentInLaw: 4,
  grandparent: 5,
  childInLaw: 6,
  grandchild: 7,
  sibling: 8,
  other: 9,
} as const;

/** D4 性别 */
export const SEX = [c(1, '男', 'Male'), c(2, '女', 'Female')];
export const MALE = 1;
export const FEMALE = 2;

/** D6 民族 (GB 3304), plus 97 unidentified and 98 foreign-origin Chinese citizens. */
export const ETHNICITY: CodeList<string> = (
  [
    ['汉', 'Han'], ['蒙古', 'Mongol'], ['回', 'Hui'], ['藏', 'Tibetan'], ['维吾尔', 'Uyghur'],
    ['苗', 'Miao'], ['彝', 'Yi'], ['壮', 'Zhuang'], ['布依', 'Bouyei'], ['朝鲜', 'Korean'],
    ['满', 'Manchu'], ['侗', 'Dong'], ['瑶', 'Yao'], ['白', 'Bai'], ['土家', 'Tujia'],
    ['哈尼', 'Hani'], ['哈萨克', 'Kazakh'], ['傣', 'Dai'], ['黎', 'Li'], ['傈僳', 'Lisu'],
    ['佤', 'Wa'], ['畲', 'She'], ['高山', 'Gaoshan'], ['拉祜', 'Lahu'], ['水', 'Shui'],
    ['东乡', 'Dongxiang'], ['纳西', 'Naxi'], ['景颇', 'Jingpo'], ['柯尔克孜', 'Kyrgyz'], ['土', 'Tu'],
    ['达斡尔', 'Daur'], ['仫佬', 'Mulao'], ['羌', 'Qiang'], ['布朗', 'Blang'], ['撒拉', 'Salar'],
    ['毛南', 'Maonan'], ['仡佬', 'Gelao'], ['锡伯', 'Xibe'], ['阿昌', 'Achang'], ['普米', 'Pumi'],
    ['塔吉克', 'Tajik'], ['怒', 'Nu'], ['乌孜别克', 'Uzbek'], ['俄罗斯', 'Russian'], ['鄂温克', 'Evenki'],
    ['德昂', "De'ang"], ['保安', 'Bonan'], ['裕固', 'Yugur'], ['京', 'Gin'], ['塔塔尔', 'Tatar'],
    ['独龙', 'Derung'], ['鄂伦春', 'Oroqen'], ['赫哲', 'Hezhen'], ['门巴', 'Monba'], ['珞巴', 'Lhoba'],
    ['基诺', 'Jino'],
  ] as const
)
  .map(([zh, en], i) => c(String(i + 1).padStart(2, '0'), `${zh}族`, en))
  .concat([c('97', '其他未识别的民族', 'Other (unidentified)'), c('98', '外国血统中国籍人士', 'Foreign-origin Chinese citizen')]);
export const ETHNICITY_HAN = '01';

/** D7 普查时点居住地 */
export const RESIDENCE = [
  c(1, '本普查小区', 'This enumeration district'),
  c(2, '本村(居)委会其他普查小区', 'Another district of this village committee'),
  c(3, '本乡(镇、街道)其他村(居)委会', 'Another village committee of this township'),
  c(4, '本县(市、区、旗)其他乡(镇、街道)', 'Another township of this county'),
  c(5, '其他县(市、区、旗)', 'Another county'),
  c(6, '港澳台', 'Hong Kong, Macao or Taiwan'),
  c(7, '国外', 'Abroad'),
];
export const RESIDENCE_HERE = 1;
export const RESIDENCE_OTHER_COUNTY = 5;

/** D8 户口登记地 */
export const HUKOU = [
  c(1, '本村(居)委会', 'This village committee'),
  c(2, '本乡(镇、街道)其他村(居)委会', 'Another village committee of this township'),
  c(3, '本县(市、区、旗)其他乡(镇、街道)', 'Another township of this county'),
  c(4, '其他县(市、区、旗)', 'Another county'),
  c(5, '户口待定', 'Hukou pending'),
];
export const HUKOU_HERE = 1;
export const HUKOU_OTHER_COUNTY = 4;
export const HUKOU_PENDING = 5;

/** D9 离开户口登记地时间; the band's lower bound in whole years is used by the age check. */
export const LEFT_HUKOU_DURATION = [
  c(1, '没有离开户口登记地', 'Never left'),
  c(2, '不满半年', 'Under half a year'),
  c(3, '半年以上,不满一年', 'Half a year to 1 year'),
  c(4, '一年以上,不满二年', '1 to 2 years'),
  c(5, '二年以上,不满三年', '2 to 3 years'),
  c(6, '三年以上,不满四年', '3 to 4 years'),
  c(7, '四年以上,不满五年', '4 to 5 years'),
  c(8, '五年以上,不满十年', '5 to 10 years'),
  c(9, '十年以上', '10 years or more'),
];
export const NEVER_LEFT = 1;
/** Minimum completed years of age implied by each D9 band. */
export const LEFT_HUKOU_MIN_YEARS: Readonly<Record<number, number>> = { 1: 0, 2: 0, 3: 0, 4: 1, 5: 2, 6: 3, 7: 4, 8: 5, 9: 10 };

/** D10 离开户口登记地原因 */
export const LEFT_HUKOU_REASON = [
  c(1, '工作就业', 'Work'),
  c(2, '学习培训', 'Study or training'),
  c(3, '随同离开/投亲靠友', 'Accompanying family / joining relatives'),
  c(4, '拆迁/搬家', 'Demolition / moving house'),
  c(5, '寄挂户口', 'Hukou parked here'),
  c(6, '婚姻嫁娶', 'Marriage'),
  c(7, '照料孙子女', 'Caring for grandchildren'),
  c(8, '为子女就学', "Children's schooling"),
  c(9, '养老/康养', 'Retirement / care'),
  c(10, '其他', 'Other'),
];
export const REASON = { work: 1, marriage: 6, grandchildren: 7, childSchooling: 8, retirement: 9 } as const;

/** D11 / C15 受教育程度 */
export const EDUCATION = [
  c(1, '未上过学', 'Never attended school'),
  c(2, '学前教育', 'Pre-school'),
  c(3, '小学', 'Primary school'),
  c(4, '初中', 'Junior secondary'),
  c(5, '高中(含中专)', 'Senior secondary (incl. vocational)'),
  c(6, '大学专科', 'College'),
  c(7, '大学本科', 'University'),
  c(8, '硕士研究生', "Master's"),
  c(9, '博士研究生', 'Doctorate'),
];
export const EDU = { none: 1, preschool: 2, primary: 3, junior: 4, senior: 5, college: 6, university: 7, master: 8, doctor: 9 } as const;
/** Minimum plausible completed age for each education level (§6E.2). */
export const EDUCATION_MIN_AGE: Readonly<Record<number, number>> = { 3: 5, 4: 11, 5: 14, 6: 17, 7: 17, 8: 21, 9: 24 };

/** D12 / C17 是否识字; also H11, H13 and other yes/no items. */
export const YES_NO = [c(1, '是', 'Yes'), c(2, '否', 'No')];
export const HAVE_NOT = [c(1, '有', 'Yes'), c(2, '无', 'No')];
export const YES = 1;
export const NO = 2;

// ---- long form, household items H8-H19 ----
export const STOREYS = [
  c(1, '平房', 'Single storey'),
  c(2, '多层(7层及以下)', 'Low-rise (up to 7 floors)'),
  c(3, '高层(8-33层)', 'High-rise (8-33 floors)'),
  c(4, '超高层(34层及以上)', 'Super high-rise (34+ floors)'),
];
export const STRUCTURE = [
  c(1, '钢及钢筋混凝土结构', 'Steel / reinforced concrete'),
  c(2, '混合结构', 'Mixed'),
  c(3, '砖木结构', 'Brick and timber'),
  c(4, '竹草土坯结构', 'Bamboo, thatch or mud brick'),
  c(5, '其他结构', 'Other'),
];
export const BUILT_PERIOD = [
  c(1, '1949年以前', 'Before 1949'),
  c(2, '1949-1959年', '1949-1959'),
  c(3, '1960-1969年', '1960-1969'),
  c(4, '1970-1979年', '1970-1979'),
  c(5, '1980-1989年', '1980-1989'),
  c(6, '1990-1999年', '1990-1999'),
  c(7, '2000-2009年', '2000-2009'),
  c(8, '2010-2014年', '2010-2014'),
  c(9, '2015年以后', '2015 or later'),
];
export const COOKING_FUEL = [c(1, '燃气', 'Gas'), c(2, '电', 'Electricity'), c(3, '煤炭', 'Coal'), c(4, '柴草', 'Firewood / straw'), c(5, '其他', 'Other')];
export const KITCHEN = [c(1, '独立使用', 'Own use'), c(2, '与其他户合用', 'Shared'), c(3, '无', 'None')];
export const TOILET = [
  c(1, '水冲式卫生厕所', 'Flush, sanitary'),
  c(2, '水冲式非卫生厕所', 'Flush, non-sanitary'),
  c(3, '卫生旱厕', 'Sanitary dry toilet'),
  c(4, '普通旱厕', 'Ordinary dry toilet'),
  c(5, '无', 'None'),
];
export const BATHING = [c(1, '统一供热水', 'Central hot water'), c(2, '家庭自装热水器', 'Own water heater'), c(3, '其他', 'Other'), c(4, '无', 'None')];
export const TENURE = [
  c(1, '租赁廉租房/公租房', 'Renting public housing'),
  c(2, '租赁其他住房', 'Renting other housing'),
  c(3, '购买新建商品房', 'Bought new commercial housing'),
  c(4, '购买二手房', 'Bought second-hand'),
  c(5, '购买原公有住房', 'Bought former public housing'),
  c(6, '购买经济适用房/两限房', 'Bought affordable housing'),
  c(7, '自建住房', 'Self-built'),
  c(8, '继承或赠与', 'Inherited or gift'),
  c(9, '其他', 'Other'),
];
export const RENTED_TENURES: readonly number[] = [1, 2];
export const CAR_VALUE = [
  c(1, '不满10万元', 'Under 100,000 yuan'),
  c(2, '10万元以上,不满20万元', '100,000-200,000'),
  c(3, '20万元以上,不满30万元', '200,000-300,000'),
  c(4, '30万元以上,不满50万元', '300,000-500,000'),
  c(5, '50万元以上,不满100万元', '500,000-1,000,000'),
  c(6, '100万元以上', '1,000,000 or more'),
  c(7, '没有汽车', 'No car'),
];

// ---- long form, person items C11-C29 ----
export const HUKOU_PLACE_TYPE = [c(1, '乡', 'Township'), c(2, '镇的村委会', 'Village committee of a town'), c(3, '镇的居委会', 'Residents committee of a town'), c(4, '街道', 'Subdistrict')];
export const BIRTH_PLACE = [c(1, '本县(市、区、旗)', 'This county'), c(2, '本省其他县(市、区、旗)', 'Another county of this province'), c(3, '省外', 'Another province')];
export const BIRTH_PLACE_OTHER_PROVINCE = 3;
export const RESIDENCE_5Y = [c(1, '本县(市、区)', 'This county'), c(2, '其他地区', 'Elsewhere')];
export const RESIDENCE_5Y_ELSEWHERE = 2;
export const SCHOOLING = [c(1, '在校', 'In school'), c(2, '毕业', 'Graduated'), c(3, '肄业', 'Left without completing'), c(4, '辍学', 'Dropped out'), c(5, '其他', 'Other')];
export const IN_SCHOOL = 1;
export const WORK_STATUS = [
  c(1, '是(上周工作1小时以上)', 'Worked 1 hour or more last week'),
  c(2, '在职休假、学习培训、临时停工', 'Employed but on leave, training or temporarily stopped'),
  c(3, '未做任何工作', 'Did no work'),
];
export const WORKED = 1;
export const NOT_WORKING = 3;
export const EMPLOYER_TYPE = [
  c(1, '企业、事业、机关或社会团体等法人单位', 'Legal-entity employer'),
  c(2, '个体经营户', 'Individual business'),
  c(3, '经营农村家庭承包地', 'Farming contracted land'),
  c(4, '自由职业/灵活就业', 'Freelance / flexible work'),
];
export const NOT_WORKING_REASON = [
  c(1, '在校学习', 'In school'),
  c(2, '离退休', 'Retired'),
  c(3, '料理家务', 'Housework'),
  c(4, '丧失工作能力', 'Unable to work'),
  c(5, '其他', 'Other'),
];
export const NOT_WORKING_STUDYING = 1;
export const NOT_WORKING_RETIRED = 2;
export const LIVELIHOOD = [
  c(1, '劳动收入', 'Work income'),
  c(2, '离退休金/养老金', 'Pension'),
  c(3, '最低生活保障', 'Minimum living allowance'),
  c(4, '失业保险金', 'Unemployment insurance'),
  c(5, '财产性收入', 'Property income'),
  c(6, '家庭其他成员供养', 'Supported by family'),
  c(7, '其他', 'Other'),
];
export const MARITAL = [c(1, '未婚', 'Never married'), c(2, '有配偶', 'Married'), c(3, '离婚', 'Divorced'), c(4, '丧偶', 'Widowed')];
export const NEVER_MARRIED = 1;
export const MARRIED = 2;
export const LIVING_ARRANGEMENT = [
  c(1, '与配偶和子女同住', 'With spouse and children'),
  c(2, '与配偶同住', 'With spouse'),
  c(3, '与子女同住', 'With children'),
  c(4, '独居(有保姆)', 'Alone, with a carer'),
  c(5, '独居(无保姆)', 'Alone, no carer'),
  c(6, '养老机构', 'Care home'),
  c(7, '其他', 'Other'),
];
export const HEALTH = [
  c(1, '健康', 'Healthy'),
  c(2, '基本健康', 'Basically healthy'),
  c(3, '不健康,但生活能自理', 'Unhealthy but self-sufficient'),
  c(4, '生活不能自理', 'Needs care'),
];

// ---- overseas form ----
export const OVERSEAS_STATUS = [
  c(1, '香港特别行政区居民', 'Hong Kong resident'),
  c(2, '澳门特别行政区居民', 'Macao resident'),
  c(3, '台湾地区居民', 'Taiwan resident'),
  c(4, '外籍人员', 'Foreign national'),
];
export const FOREIGN_NATIONAL = 4;
export const DOCUMENT_TYPE = [
  c(1, '港澳居民来往内地通行证', 'Mainland travel permit (HK/Macao)'),
  c(2, '港澳台居民居住证', 'Residence permit (HK/Macao/Taiwan)'),
  c(3, '台湾居民来往大陆通行证', 'Mainland travel permit (Taiwan)'),
  c(4, '护照', 'Passport'),
  c(5, '外国人永久居留身份证', 'Foreigner permanent residence card'),
  c(6, '其他', 'Other'),
];
export const PURPOSE = [c(1, '商务', 'Business'), c(2, '就业', 'Employment'), c(3, '学习', 'Study'), c(4, '定居', 'Settlement'), c(5, '探亲', 'Visiting family'), c(6, '其他', 'Other')];
export const STAY = [
  c(1, '三个月以下', 'Under 3 months'),
  c(2, '三个月至半年', '3-6 months'),
  c(3, '半年至一年', '6-12 months'),
  c(4, '一年至两年', '1-2 years'),
  c(5, '两年至五年', '2-5 years'),
  c(6, '五年以上', '5 years or more'),
];

// ---- listing and workflow ----
export const LISTING_KIND: CodeList<string> = [
  c('ordinary', '普通住户', 'Ordinary'),
  c('empty', '空户', 'Empty unit'),
  c('allAway', '全户外出', 'Whole household away'),
  c('allDeceased', '全户死亡', 'Whole household deceased'),
  c('allOverseas', '全户港澳台居民和外籍人员户', 'All HK/Macao/Taiwan or foreign'),
  c('mixed', '混合户', 'Mixed'),
];
export const VISIT_STATUS: CodeList<string> = [
  c('pending', '未登记', 'Pending'),
  c('registered', '已登记', 'Registered'),
  c('selfReported', '自主填报完成', 'Self-reported'),
  c('notAtHome', '无人在家', 'Not at home'),
  c('refused', '拒绝登记', 'Refused'),
  c('vacant', '空户', 'Vacant'),
  c('demolished', '已拆除', 'Demolished'),
];
export const OVERRIDE_REASON: CodeList<string> = [
  c('confirmedWithRespondent', '已与被访者核实', 'Confirmed with the respondent'),
  c('documentSeen', '已查看证件', 'Document seen'),
  c('respondentRefused', '被访者拒绝更正', 'Respondent refused to change'),
  c('other', '其他', 'Other'),
];
export const URBAN_RURAL: CodeList<string> = [
  c('111', '主城区', 'Main urban area'),
  c('112', '城乡结合区', 'Urban-rural fringe'),
  c('121', '镇中心区', 'Town centre'),
  c('122', '镇乡结合区', 'Town fringe'),
  c('123', '特殊区域', 'Special area'),
  c('210', '乡中心区', 'Township centre'),
  c('220', '村庄', 'Village'),
];
/** Review-query outcomes (§6H; official codes were not found, these are ours). */
export const QUERY_OUTCOME: CodeList<string> = [
  c('added', '补登', 'Missed person added'),
  c('corrected', '更正', 'Corrected'),
  c('verified', '核实无误', 'Checked and correct'),
  c('notThisArea', '非本区人口', 'Not this area'),
  c('diedOrAbroad', '死亡/出国', 'Died or went abroad'),
  c('duplicate', '重复', 'Duplicate'),
];

/** Look up the label of a code, or undefined for a code not on the list. */
export function labelOf<V extends number | string>(list: CodeList<V>, code: V): Code<V> | undefined {
  return list.find((x) => x.code === code);
}

/** The codes of a list, for schemas and pickers. */
export function codesOf<V extends number | string>(list: CodeList<V>): V[] {
  return list.map((x) => x.code);
}
