// Strings of the household form (namespace `household`), owned by the household-form engineer.
// Registered in ./index.ts; keep the same keys in household.en.ts.
const householdZh = {
  title: '住户登记',
};
export default householdZh;
