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
  exportPass: {
    title: 'Set a password for the export file', hint: 'At least 8 characters. Tell it to the office another way (phone, in person), never with the file.',
    pass: 'File password', again: 'Password again', tooShort: 'At least 8 characters', differ: 'The two passwords differ', go: 'Encrypt and export', working: 'Encrypting…',
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
  errorBoundary: {
    title: 'This page failed and cannot be shown.', chunk: 'The app was updated and a file this page needs is gone. Reload to use the new version.',
    kept: 'Households and drafts saved on this phone are not lost.', reloading: 'Reloading…', reload: 'Reload',
  },
  install: {
    android: 'Install on this phone', iosHint: 'In Safari tap Share → Add to Home Screen; installed apps keep their data.',
    dismiss: 'Got it',
  },
  unsaved: { leave: 'There is unsaved input (a household keeps its draft on this phone). Leave anyway?' },
  placeholder: { household: 'The household form is being built.' },
  dataLoss: {
    otherDevice: 'This phone starts empty, but your other device {{device}} (last seen {{lastSeen}}) still had {{count}} saves queued that may never have reached the server. Contact your supervisor before registering those households again.',
  },
  // Sync state in the badge and banners, and the sync screen's own texts (the sync engineer's groups).
  syncStatus: {
    serverBusy: 'Server busy, next try at {{time}}', serverBusySoon: 'Server busy, trying again shortly',
    localReset: "This phone's local data was reset. Everything it had sent ({{count}} records) is on the server, and the assignment was downloaded again. Nothing was lost.",
    dataLossGap: 'Data may be lost: this phone numbered its records up to #{{localSeq}}, the server holds them only up to #{{serverSeq}}, and some of those in between are neither on the server nor queued here. Export the unsynced data and tell your supervisor now.',
  },
  syncScreen: {
    busy: 'Server busy, next try at {{time}}. Everything stays on this phone; nothing is lost.',
    failure: {
      network: 'Cannot reach the server (no network). It tries again once the connection is back.',
      http: 'Server error ({{status}}). It tries again shortly.',
      httpRefused: 'The server refused this sync ({{status}}): {{code}}.',
      invalid_response: 'The server answered something unreadable. It tries again shortly.',
      storageFull: 'The phone storage is full: sync results cannot be written. Free some space.',
      tooLarge: "A record is over the server's size limit and cannot be uploaded. Export the unsynced data and tell your supervisor.",
      internal: 'Internal error while syncing. It tries again.',
    },
    reason: {
      network: 'No network', http: 'Server error ({{status}})', invalid_response: 'Unreadable answer',
      storageFull: 'Storage full', tooLarge: 'Record over the size limit', internal: 'Internal error',
    },
    code: {
      bad_request: 'bad request', validation_failed: 'failed the server checks', unauthorized: 'session expired',
      forbidden: 'not allowed (not in your districts)', not_found: 'not on the server', payload_too_large: 'too large',
      rate_limited: 'too many requests', client_too_old: 'app too old, please update', internal: 'server error', unavailable: 'server unavailable',
    },
    household: 'No. {{no}} · {{name}}', unknown: '{{entity}} {{id}}', conflict: 'Conflict, for the supervisor',
    log: {
      start: 'App started', startUser: 'App started, signed in as {{user}}', signedIn: 'Signed in as {{user}}',
      handover: "New enumerator: the previous one's data was all synced and left this phone",
      signedOutUser: 'Signed out', signedOutRefused: 'The server asked to sign in again; the data stays on this phone',
      push: 'Sent {{sent}}: {{applied}} new, {{duplicate}} already there, {{conflict}} conflicts, {{rejected}} rejected',
      conflict: 'Conflict: {{what}} (both kept, for the supervisor)', rejected: 'Rejected: {{what}} ({{reason}})',
      batchHalved: 'Too much at once: now {{size}} per upload', pull: '{{applied}} updates downloaded',
      pullDropped: 'Session changed: a downloaded page was dropped', pullInvalid: '{{count}} downloaded changes were malformed and not used',
      retry: '{{reason}}: next try in {{delay}} s', serverBusy: 'Server busy, next try at {{time}}', error: '{{reason}}: waiting for the next sync',
      success: 'Sync done: {{acknowledged}} confirmed, {{pulled}} downloaded',
      dataLossSame: 'Data loss alarm: the server holds up to #{{serverSeq}}, the phone numbered up to #{{localSeq}}, {{missing}} on neither side',
      dataLossOther: 'Data loss alarm: device {{device}} still had {{pending}} not uploaded',
      localReset: 'Local data reset; all {{serverSeq}} records it had sent are on the server',
      offline: 'Offline', import: 'Unsynced data imported',
    },
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
  daily: {
    searchLabel: 'Search: address, head, household number or ID number', searchHint: 'Household: its number; ID: last 6+ characters; building: "bldg 2" or "栋2"',
    idTooShort: 'Type at least the last 6 characters of an ID number; household numbers have 1-3 digits.', draft: 'Draft', today: 'today',
    callbacksToday: "Today's callbacks {{count}}", callbacksTitle: "Today's callbacks", callbacksCount: '{{count}} callbacks today',
    noCallbacks: 'No callbacks agreed for today.', homeCallbacks: '{{count}} callbacks today',
    callbackHint: 'Optional. Saved with "Not at home", "Refused" or "Pending".',
    askCallback: 'No callback time yet. Enter the time agreed, or skip.',
    saveWithCallback: 'Save: not at home, call back then', skipCallback: 'Skip, no callback',
  },
  review: {
    head: 'Head {{name}}', openHousehold: 'Open household', notOnPhone: 'This household is not on the phone; sync first.',
    unanswered: '{{count}} to answer', homeLink: 'Review queries: {{count}} to answer',
  },
  warned: {
    warnings: '{{count}} warnings', open: 'View household', person: 'Person {{n}} {{name}}', persons: 'Members',
    household: 'No. {{no}} · {{name}}', query: 'Send a review query on it',
  },
};
export default appEn;
