// i18n: Chinese (zh-CN) first and the default, English second. Every visible text goes through a
// key of a namespace; each feature brings its own namespace (see features/*/i18n), the app lists
// them at start. Chinese texts are in the first bundle; English ones load when first chosen. The
// choice is kept in localStorage and written to <html lang>.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

import commonZh from './common.zh-CN';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

const STORAGE_KEY = 'anxin.language';

// One namespace of texts: the Chinese texts (bundled) and a loader of the English ones (a chunk of
// its own). `en` must have exactly the keys of `zh` (the type says so).
export interface Namespace<T = unknown> {
  name: string;
  zh: T;
  en: () => Promise<{ default: T }>;
}

export const commonNamespace: Namespace<typeof commonZh> = {
  name: 'common',
  zh: commonZh,
  en: () => import('./common.en'),
};

let registered: Namespace[] = [];
const loadedLanguages = new Set<Language>([DEFAULT_LANGUAGE]);

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

// The language chosen earlier in this browser, or Chinese.
export function storedLanguage(): Language {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : DEFAULT_LANGUAGE;
}

async function loadLanguage(language: Language): Promise<void> {
  if (loadedLanguages.has(language)) return;
  const bundles = await Promise.all(registered.map((ns) => ns.en()));
  bundles.forEach((bundle, i) => {
    const ns = registered[i];
    if (ns) i18next.addResourceBundle(language, ns.name, bundle.default as Record<string, unknown>, true, true);
  });
  loadedLanguages.add(language);
}

// Switches the language, loading its texts first, and remembers the choice.
export async function changeLanguage(language: Language): Promise<void> {
  await loadLanguage(language);
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
}

// Starts i18n with the common namespace and `namespaces`, in the stored language.
export async function initI18n(namespaces: Namespace[]): Promise<typeof i18next> {
  registered = [commonNamespace as Namespace, ...namespaces];
  await i18next.use(initReactI18next).init({
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    load: 'currentOnly',
    ns: registered.map((ns) => ns.name),
    defaultNS: 'common',
    resources: {
      [DEFAULT_LANGUAGE]: Object.fromEntries(registered.map((ns) => [ns.name, ns.zh])) as Record<string, Record<string, unknown>>,
    },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const language = storedLanguage();
  if (language !== DEFAULT_LANGUAGE) await changeLanguage(language);
  document.documentElement.lang = currentLanguage();
  return i18next;
}

// Picks the text of a bilingual API value ({name_zh, name_en}) for the current language.
export function pickText(zh: string | undefined, en: string | undefined, language: string): string {
  if (language.startsWith('en') && en) return en;
  return zh ?? en ?? '';
}

export { i18next };

declare module 'i18next' {
  interface ResourceNamespaceMap {
    common: typeof commonZh;
  }
  interface CustomTypeOptions {
    defaultNS: 'common';
    returnNull: false;
  }
}
