// The one place that words the db operations' expected failures for the user.
import type { TFunction } from '../i18n/index.ts';
import type { OpFailure } from '../db/operations.ts';

export function opFailureText(f: OpFailure, t: TFunction<'app'>): string {
  switch (f.reason) {
    case 'storageFull':
      return t('common.notSaved');
    case 'invalid':
      return t('missed.invalid', { fields: f.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    case 'incomplete':
      return t('missed.invalid', { fields: f.findings.map((x) => x.rule).join(', ') });
    case 'notFound':
      return t('common.error', { message: f.what });
  }
}
