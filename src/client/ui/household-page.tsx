// Seam to the household form (src/client/ui/household/, owned by the form's engineer): the
// router imports it from here, so swapping or lazy-loading it is a one-file change.
export { HouseholdPage, type HouseholdPageProps } from './household/HouseholdPage.tsx';
