// i18next setup: zh-CN by default, English on request; the choice is kept in localStorage.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import zhCN from "./locales/zh-CN.json" with { type: "json" };
import en from "./locales/en.json" with { type: "json" };
import { ApiError, NetworkError } from "./api.ts";

export const LANGUAGES = ["zh-CN", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
const KEY = "eldercare.lang";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof zhCN };
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

const KNOWN_ERRORS = [
  "unauthorized",
  "bad_credentials",
  "forbidden",
  "not_found",
  "bad_request",
  "illegal_transition",
  "offer_closed",
  "not_assigned",
  "no_location",
  "bad_response",
] as const;
type KnownError = (typeof KNOWN_ERRORS)[number];

/** A message for people, in the current language, for anything an API call may throw. */
export function errorText(err: unknown): string {
  if (err instanceof NetworkError) return i18n.t("errors.network");
  if (err instanceof ApiError) {
    if ((KNOWN_ERRORS as readonly string[]).includes(err.code)) {
      return i18n.t(`errors.${err.code as KnownError}`, { message: err.message });
    }
    return i18n.t("errors.unknown", { message: err.message });
  }
  return i18n.t("errors.unknown", { message: err instanceof Error ? err.message : String(err) });
}

export default i18n;
