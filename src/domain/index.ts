// The contract of src/domain: what the phone, the server and outside tools may import.
export * from './codes.ts';
export * from './schemas.ts';
export * from './api.ts';
export * from './age.ts';
export * from './citizen-id.ts';
export * from './validate.ts';
export * from './applicability.ts';
export * from './rules.ts';
export * from './findings.ts';
export * from './generate.ts';
export { duplicateCitizenIds, type DuplicateCitizenId } from './checks/citizen-id.ts';
export { formatMessage } from './checks/finding.ts';
export * from './unsynced.ts';
export * from './self.ts';
