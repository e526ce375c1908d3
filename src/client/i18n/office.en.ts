// English strings of the census office's desk (namespace `office`); same keys as office.zh.ts.
import type officeZh from './office.zh.ts';

type Same<T> = { [K in keyof T]: T[K] extends string ? string : Same<T[K]> };

const officeEn: Same<typeof officeZh> = {
  title: 'Census office desk',
};
export default officeEn;
