import { useTranslation } from 'react-i18next';

import { changeLanguage, currentLanguage, LANGUAGES, type Language } from '../../lib/i18n';

// Switches between Chinese and English; the choice persists in this browser. A plain button
// pair so both apps can use it whatever their component library.
export function LanguageSwitch({ className }: { className?: string }) {
  const { t } = useTranslation();
  const active = currentLanguage();
  return (
    <div className={`ax-language ${className ?? ''}`} role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((language: Language) => (
        <button
          key={language}
          type="button"
          lang={language}
          className={language === active ? 'ax-language-option is-active' : 'ax-language-option'}
          aria-pressed={language === active}
          onClick={() => void changeLanguage(language)}
        >
          {t(`language.${language}`)}
        </button>
      ))}
    </div>
  );
}
