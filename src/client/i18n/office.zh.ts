// Strings of the census office's desk (namespace `office`: drill-down, daily report, quality
// signals, platform review, acceptance), loaded with those screens as a chunk of their own;
// office.en.ts must have the same keys (its type enforces it).
const officeZh = {
  title: '人普办工作台',
};
export default officeZh;
