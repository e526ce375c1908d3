// English strings of the app shell and screens (namespace `app`); same keys as app.zh.ts.
import type { AppStrings } from './app.zh.ts';

type Same<T> = { [K in keyof T]: T[K] extends string ? string : Same<T[K]> };

const appEn: Same<AppStrings> = {
  appName: 'Pucha',
  language: { label: 'Language', switchTo: '中文' },
  common: {
    back: 'Back', cancel: 'Cancel', save: 'Save', close: 'Close', confirm: 'OK', retry: 'Retry',
    loading: 'Loading…', none: 'None', search: 'Search', all: 'All', yes: 'Yes', no: 'No',
    notSaved: 'NOT saved: the device storage is full. Export your data and free some space.',
    error: 'Something went wrong: {{message}}',
  },
  nav: { home: 'Home', sync: 'Sync', queries: 'Review queries', supervisor: 'Supervision', signOut: 'Sign out' },
  login: {
    title: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in', busy: 'Signing in…',
    offline: 'You are offline. The first sign-in needs a connection.',
    failed: 'Wrong username or password.', rateLimited: 'Too many attempts, please wait a moment.',
    networkError: 'Cannot reach the server. Check the connection.',
    otherUserQueued: 'This phone still holds data of the previous enumerator that is not synced. Sync it or export the unsynced data first, then sign in with the new account.',
    persisted: 'Persistent storage granted: the browser will not clear this data on its own.',
    notPersisted: 'Persistent storage was not granted. Add the app to the home screen and sign in again so the data is not cleared.',
    persistUnknown: 'This browser cannot request persistent storage.',
  },
  signOut: {
    title: 'Sign out',
    refused: '{{count}} items are not synced yet, so you cannot sign out. Sync first, or export the unsynced data.',
    exportFirst: 'Export unsynced data', exported: 'Exported. You may sign out now.',
    confirm: 'Sign out? Signing in again needs a connection.', doIt: 'Sign out',
  },
  sync: {
    title: 'Sync', badgeQueued: '{{count}} queued', badgeSynced: 'Synced',
    offline: 'Offline', syncing: 'Syncing…', error: 'Sync error', idle: 'Online',
    lastSync: 'Last sync: {{when}}', never: 'Never synced', nextAttempt: 'Next attempt: {{when}}',
    queue: 'Queue', queueEmpty: 'The queue is empty: everything is uploaded.', log: 'Sync log', logEmpty: 'Nothing yet',
    syncNow: 'Sync now', export: 'Export unsynced data', exportDone: 'Saved file {{name}}',
    storage: 'Storage', usage: 'Used {{used}} of {{quota}}', persisted: 'Persistent storage: on',
    notPersisted: 'Persistent storage: off', attempts: '{{count}} attempts', rejected: 'Rejected, needs attention',
    signInAgain: 'Your session expired. Sign in again (the data stays on this device).',
    entity: { household: 'Household', listing: 'Listing entry', queryAnswer: 'Query answer' },
  },
  home: {
    title: 'My districts', empty: 'No district assigned yet. Sync while online.',
    progress: '{{done}} of {{total}} registered', open: 'Open',
  },
  district: {
    searchLabel: 'Search by address, head of household or number', filterLabel: 'Filter by visit outcome',
    count: '{{count}} households', noMatch: 'No household matches.',
    addMissed: 'Add missed household', outcome: 'Visit outcome', setOutcome: 'Set outcome',
    callback: 'call back {{when}}', callbackAt: 'Call back at', longForm: 'Long form', selfEnum: 'Self-enumeration', origin: 'Added',
    household: 'No. {{no}}', register: 'Register',
  },
  missed: {
    title: 'Add missed household', buildingNo: 'Building number', unitNo: 'Unit number (optional)',
    householdNo: 'Household number', address: 'Address', headName: 'Head of household', householdType: 'Household type',
    add: 'Add', invalid: 'Please check: {{fields}}', duplicateNo: 'This household number is taken.',
  },
  queries: {
    title: 'Review queries', empty: 'No review queries.', answer: 'Answer', answerText: 'Answer',
    outcome: 'Outcome', send: 'Send answer', status: { open: 'Open', answered: 'Answered', resolved: 'Resolved' },
    household: 'No. {{no}}', answered: 'Answered (queued)',
  },
  update: {
    replaced: 'The app was updated in another tab. Reload this page.', available: 'A new version is available.', reload: 'Update', later: 'Later',
    blocked: 'A new version is available. Save the open form first, then update.',
  },
  install: {
    android: 'Install on this phone', iosHint: 'In Safari tap Share → Add to Home Screen; installed apps keep their data.',
    dismiss: 'Got it',
  },
  unsaved: { leave: 'There are unsaved changes; leaving loses them. Leave anyway?' },
  placeholder: { household: 'The household form is being built.' },
  dataLoss: {
    otherDevice: 'This phone starts empty, but your other device {{device}} (last seen {{lastSeen}}) still had {{count}} saves queued that may never have reached the server. Contact your supervisor before registering those households again.',
    text: 'Data on this phone was lost: the server has saves up to #{{serverSeq}} from this device, the phone only up to #{{localSeq}}. The assignment was downloaded again; check the households you registered last and tell your supervisor.',
  },
  supervisor: {
    title: 'Supervision', enumerators: 'Enumerators', districts: 'Districts', atRisk: 'At risk',
    lastSeen: 'Last contact', lastPush: 'Last push', pending: 'Queued on phone', rejected: 'Rejected',
    conflicts: 'Conflicts', appVersion: 'Version', never: 'never', listing: 'Listed households',
    persons: 'Persons registered', withWarnings: 'Households with unconfirmed warnings', openQueries: 'Open queries',
    newQuery: 'New review query', householdId: 'Household', message: 'Question', send: 'Send',
    sent: 'Sent.', answered: 'Answered queries', resolve: 'Mark resolved', noAnswered: 'No answers to handle.',
    download: 'Download CSV', refresh: 'Refresh', loadFailed: 'Loading failed: {{message}}',
    riskStale: 'No contact for over a day', riskQueued: 'Many items queued', chart: 'Visit progress',
  },
};
export default appEn;
