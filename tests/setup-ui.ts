// The English shell strings are a lazy chunk (the app's start awaits prepareLanguage when English
// was chosen); screens rendered in English by the tests get them as the start would have.
// i18n-core.test.tsx tests the lazy load itself on a fresh module.
import { prepareLanguage } from '../src/client/i18n/index.ts';

await prepareLanguage('en');
