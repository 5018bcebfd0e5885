// i18next setup: zh-CN by default, English on request; the choice is kept in localStorage.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import zhCNTexts from "./locales/zh-CN/index.ts";
import enTexts from "./locales/en/index.ts";
import { ERROR_CODES, type ErrorDetails } from "../../protocol/errors.ts";
import { CASE_STATUSES, UI_LANGUAGES, USER_ROLES, type UiLanguage } from "../../protocol/domain.ts";
import { ApiError, CLIENT_ERROR_CODES, NetworkError } from "./api.ts";

export const LANGUAGES = UI_LANGUAGES;
export type Language = UiLanguage;
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

const COMMANDS: ReadonlySet<string> = new Set(Object.keys(zhCN.commandName));
const STATUSES: ReadonlySet<string> = new Set(CASE_STATUSES);
const ROLES: ReadonlySet<string> = new Set(USER_ROLES);
const separator = () => i18n.t("common.listSeparator");

/** The sentence the server's typed details make possible, or null to use the code's own. */
function detailText(code: string, d: ErrorDetails): string | null {
  if (code === "bad_request" && d.fields?.length) {
    return i18n.t("errorDetail.fields", { fields: d.fields.map((f) => f.path || "—").join(separator()) });
  }
  if ((code === "illegal_transition" || code === "offer_closed") && d.status && STATUSES.has(d.status)) {
    const action = d.action && COMMANDS.has(d.action) ? d.action : null;
    if (action === null) return null;
    return i18n.t("errorDetail.transition", {
      status: i18n.t(`caseStatus.${d.status}`),
      action: i18n.t(`commandName.${action as keyof Texts["commandName"]}`),
    });
  }
  if (code === "conflict" && d.entity === "responder" && d.id !== undefined) {
    return i18n.t("errorDetail.responderBusy", { id: String(d.id) });
  }
  if (code === "not_found" && d.entity && d.id !== undefined) {
    return i18n.t("errorDetail.notFound", { entity: i18n.t(`errorEntity.${d.entity}`), id: String(d.id) });
  }
  if (code === "forbidden" && d.roles?.length) {
    const roles = d.roles.filter((r) => ROLES.has(r)).map((r) => i18n.t(`roles.${r}`));
    return i18n.t("errorDetail.forbidden", { roles: roles.join(separator()) });
  }
  return null;
}

/**
 * A message for people, in the current language, for anything an API call may throw: from the
 * error's code and typed details, never from the server's English message (that is for logs).
 */
export function errorText(err: unknown): string {
  if (err instanceof NetworkError) return i18n.t("errors.network");
  if (err instanceof ApiError) {
    const detailed = detailText(err.code, err.details);
    if (detailed !== null) return detailed;
    if (TRANSLATED_ERRORS.has(err.code)) return i18n.t(`errors.${err.code as TranslatedError}`);
    return i18n.t("errors.unknown", { message: err.message });
  }
  return i18n.t("errors.unknown", { message: err instanceof Error ? err.message : String(err) });
}

/** "7 分钟" / "7 min": an ETA in whole minutes, at least one. */
export function etaText(seconds: number): string {
  return i18n.t("units.minutes", { count: Math.max(1, Math.round(seconds / 60)) });
}

/** "850 米" / "1.2 公里". */
export function distanceText(meters: number): string {
  if (!Number.isFinite(meters) || meters < 0) return "—";
  if (meters < 1000) return i18n.t("units.meters", { value: Math.round(meters) });
  const km = meters / 1000;
  return i18n.t("units.kilometers", { value: km < 10 ? km.toFixed(1) : Math.round(km) });
}

export default i18n;
