// i18next setup: zh-CN by default, English on request; the choice is kept in localStorage.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import zhCNTexts from "./locales/zh-CN/index.ts";
import enTexts from "./locales/en/index.ts";
import { ERROR_CODES } from "../../protocol/errors.ts";
import { ApiError, CLIENT_ERROR_CODES, NetworkError } from "./api.ts";

export const LANGUAGES = ["zh-CN", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
const KEY = "eldercare.lang";

/** Chinese is the reference: English must have every key it has (and the unit test: no others). */
export type Texts = typeof zhCNTexts;
const zhCN: Texts = zhCNTexts;
const en: Texts = enTexts;

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: Texts };
  }
}

function storedLanguage(): Language {
  try {
    const v = localStorage.getItem(KEY);
    return v === "en" ? "en" : "zh-CN";
  } catch {
    return "zh-CN";
  }
}

void i18n.use(initReactI18next).init({
  resources: { "zh-CN": { translation: zhCN }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: "zh-CN",
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

const syncHtmlLang = (lng: string) => {
  document.documentElement.lang = lng;
};
syncHtmlLang(i18n.language);
i18n.on("languageChanged", syncHtmlLang);

export function setLanguage(lng: Language): void {
  try {
    localStorage.setItem(KEY, lng);
  } catch {
    // Storage unavailable: the switch lasts for this page only.
  }
  void i18n.changeLanguage(lng);
}

export function currentLanguage(): Language {
  return i18n.language === "en" ? "en" : "zh-CN";
}

/** Every code with its own sentence under `errors.`; anything else reads as `errors.unknown`. */
const TRANSLATED_ERRORS: ReadonlySet<string> = new Set([...ERROR_CODES, ...CLIENT_ERROR_CODES]);
type TranslatedError = (typeof ERROR_CODES)[number] | (typeof CLIENT_ERROR_CODES)[number];

/** A message for people, in the current language, for anything an API call may throw. */
export function errorText(err: unknown): string {
  if (err instanceof NetworkError) return i18n.t("errors.network");
  if (err instanceof ApiError) {
    if (TRANSLATED_ERRORS.has(err.code)) {
      return i18n.t(`errors.${err.code as TranslatedError}`, { message: err.message });
    }
    return i18n.t("errors.unknown", { message: err.message });
  }
  return i18n.t("errors.unknown", { message: err instanceof Error ? err.message : String(err) });
}

export default i18n;
