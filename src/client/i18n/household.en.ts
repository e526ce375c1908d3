// English strings of the household form (namespace `household`); same keys as household.zh.ts.
import type householdZh from './household.zh.ts';
const householdEn: { [K in keyof typeof householdZh]: string } = {
  title: 'Household registration',
};
export default householdEn;
