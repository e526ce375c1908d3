// The Chinese / English switch (the translator's changeLanguage; the choice is remembered).
import { useTranslation } from '../i18n/index.ts';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const next = i18n.language.startsWith('zh') ? 'en' : 'zh-CN';
  return (
    <button type="button" className="btn btn-small" lang={next === 'en' ? 'en' : 'zh-CN'} aria-label={`${t('language.label')}: ${t('language.switchTo')}`} onClick={() => void i18n.changeLanguage(next)}>
      {t('language.switchTo')}
    </button>
  );
}
