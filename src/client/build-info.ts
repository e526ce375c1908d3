// The build id of this copy of the app, set at build time by vite.config.ts (`define`):
// `<package version>+<git short hash>` for a build of a clean commit, with `-dirty.<UTC minute>`
// appended when the tree had uncommitted changes, or PUCHA_BUILD_ID when set. It goes to the server in every
// push (the device report's appVersion), so supervisors see which phones run which build.
// Outside a Vite build (unit tests, the dev server without define) it is 'dev'.

declare const __PUCHA_BUILD_ID__: string | undefined;

export const BUILD_ID: string = typeof __PUCHA_BUILD_ID__ === 'string' && __PUCHA_BUILD_ID__ !== '' ? __PUCHA_BUILD_ID__ : 'dev';
