// The respondent page's words, Chinese by default with an English switch. Findings are reworded
// for a respondent where the enumerator's wording names form items (H2, D7, ...) or office terms.
import type { Finding } from '../../domain/schemas.ts';

export type Lang = 'zh' | 'en';
export const LANG_KEY = 'pucha.self.lang';

const zh = {
  title: '人口普查 · 住户自主填报',
  deathBirth: '出生年月',
  deathMarital: '婚姻状况',
  switchTo: 'English',
  codeHeading: '输入填报码',
  codeHelp: '填报码印在普查员交给您的通知单上，共16位字母和数字。',
  codeLabel: '填报码',
  codeOpen: '打开填报表',
  codeMalformed: '填报码应为16位字母和数字，请与通知单核对。',
  refused: '此填报码无法使用。请与通知单核对，或联系您的普查员（填报码可能已使用、已过期或已更换）。',
  limited: '尝试次数过多，请稍后再试。',
  offline: '网络不通。您填写的内容保存在本机，联网后再提交即可。',
  serverError: '服务器暂时无法处理，请稍后再试。您填写的内容已保存在本机。',
  address: '住址',
  deadline: '请在 {date} 前提交。',
  householdHeading: '本户情况',
  personsHeading: '本户人员',
  personsHelp: '请登记10月31日晚住在本户的人，以及户口在本户但当晚不在本户住的人。第一位请填户主。',
  person: '第 {n} 人',
  addPerson: '添加一人',
  removePerson: '删除此人',
  removeConfirm: '确认删除',
  deathsHeading: '死亡人口',
  deathsHelp: '2019年11月1日至2020年10月31日本户死亡的人，每人一份。',
  death: '死亡人员 {n}',
  male: '男',
  female: '女',
  choose: '请选择',
  province: '省',
  city: '市',
  county: '县（区）',
  idFilled: '已按身份证号码填写出生年月和性别。',
  confirm: '情况属实，确认无误',
  toFix: '请先改正或确认以下 {n} 处：',
  submit: '提交',
  submitting: '正在提交…',
  submitted: '已于 {at} 提交。普查员将上门与您核实，谢谢您的配合。',
  readOnly: '以下是您提交的内容（不能再修改）。',
  missing: '请回答此题。',
  notAsked: '根据您前面的回答，此题不用填写，请清空。',
  serverField: '请核对此项：{message}',
  yes: '是',
  no: '否',
  warningHint: '如果情况确实如此，请勾选“情况属实”。',
  saved: '已自动保存在本机。',
};
export type TextKey = keyof typeof zh;

const en: Record<TextKey, string> = {
  title: 'Population census · fill in yourself',
  deathBirth: 'Year and month of birth',
  deathMarital: 'Marital status',
  switchTo: '中文',
  codeHeading: 'Enter your code',
  codeHelp: 'The code is printed on the notice your enumerator gave you: 16 letters and digits.',
  codeLabel: 'Code',
  codeOpen: 'Open the form',
  codeMalformed: 'A code has 16 letters and digits; check it against the notice.',
  refused: 'This code cannot be used. Check it against the notice, or ask your enumerator (it may be used, expired or replaced).',
  limited: 'Too many attempts; please try again later.',
  offline: 'No connection. What you enter is kept on this phone; submit when you are online.',
  serverError: 'The server cannot take it right now; please try again later. What you entered is kept on this phone.',
  address: 'Address',
  deadline: 'Please submit before {date}.',
  householdHeading: 'Your household',
  personsHeading: 'Members',
  personsHelp: 'List everyone who slept here on the night of 31 October, and everyone with hukou here who was away that night. The head of household comes first.',
  person: 'Person {n}',
  addPerson: 'Add a person',
  removePerson: 'Remove this person',
  removeConfirm: 'Confirm removal',
  deathsHeading: 'Deaths',
  deathsHelp: 'One form for each member who died between 1 November 2019 and 31 October 2020.',
  death: 'Deceased person {n}',
  male: 'Male',
  female: 'Female',
  choose: 'Choose',
  province: 'Province',
  city: 'City',
  county: 'County (district)',
  idFilled: 'Birth and sex were filled in from the ID number.',
  confirm: 'This is correct',
  toFix: 'Please correct or confirm {n} answer(s) first:',
  submit: 'Submit',
  submitting: 'Submitting…',
  submitted: 'Submitted on {at}. An enumerator will visit to confirm it with you. Thank you.',
  readOnly: 'This is what you submitted (it can no longer be changed).',
  missing: 'Please answer this question.',
  notAsked: 'After your earlier answers this question is not asked; please clear it.',
  serverField: 'Please check this answer: {message}',
  yes: 'Yes',
  no: 'No',
  warningHint: 'If this is really so, tick "This is correct".',
  saved: 'Saved on this phone automatically.',
};

const TEXT: Record<Lang, Record<TextKey, string>> = { zh, en };

export function t(lang: Lang, key: TextKey, params: Record<string, string | number> = {}): string {
  return TEXT[lang][key].replace(/\{(\w+)\}/g, (whole, k: string) => (params[k] === undefined ? whole : String(params[k])));
}

/** Plain words for the findings whose enumerator wording refers to form items or office terms. */
const PLAIN: Partial<Record<string, Record<Lang, string>>> = {
  PERSON_COUNT: { zh: '登记的人数与上面填写的本户人数（两项之和）不一致。', en: 'The number of people listed differs from the household numbers you gave above (the two added up).' },
  RESIDENT_COUNT: { zh: '“住在本户”的人数与上面填写的10月31日晚住在本户的人数不一致。', en: 'The people marked as living here differ from the number you gave for the night of 31 October.' },
  ABSENT_COUNT: { zh: '当晚不在本户住的人数与上面填写的人数不一致。', en: 'The people marked as away differ from the number of absent persons you gave above.' },
  DEATHS_COUNT: { zh: '填写的死亡人数与下面的死亡人员不一致。', en: 'The number of deaths given differs from the deceased persons listed below.' },
  EMPTY_HOUSEHOLD: { zh: '请至少登记一人。', en: 'Please list at least one person.' },
  HEAD_COUNT: { zh: '本户应有且只有一位户主（与户主关系填“户主”）。', en: 'Exactly one person must be the head of household.' },
  HEAD_FIRST: { zh: '请把户主填在第一位。', en: 'Please list the head of household first.' },
};

/** A finding in words for the respondent. */
export function plainFinding(f: Finding, lang: Lang): string {
  if (f.rule === 'ANSWER_MISSING') return t(lang, 'missing');
  if (f.rule === 'ANSWER_NOT_APPLICABLE') return t(lang, 'notAsked');
  return PLAIN[f.rule]?.[lang] ?? f.message[lang];
}

/** "2020年11月3日 10:05" / "3 Nov 2020, 10:05" in China time. */
export function formatTime(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(d);
}
