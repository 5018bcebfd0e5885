import { useTranslation } from "react-i18next";
import { currentLanguage, setLanguage } from "../i18n.ts";

/** One button: shows the language it switches to (中文 / English). */
export function LangSwitch({ className }: { className?: string }) {
  const { t } = useTranslation();
  const next = currentLanguage() === "en" ? "zh-CN" : "en";
  return (
    <button
      type="button"
      className={className ?? "btn btn-ghost"}
      data-testid="lang-switch"
      title={t("lang.switchLabel")}
      lang={next}
      onClick={() => setLanguage(next)}
    >
      {t("lang.switchTo")}
    </button>
  );
}
