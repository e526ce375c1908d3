// The contract of src/domain: what the phone, the server and outside tools may import.
export * from './codes.ts';
export * from './schemas.ts';
export * from './api.ts';
export * from './age.ts';
export * from './citizen-id.ts';
export * from './validate.ts';
