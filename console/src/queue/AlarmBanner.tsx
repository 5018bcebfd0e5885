// The flashing banner while anything needs action: names the first few and why, and takes the
// keyboard to the pinned list where each one is acknowledged.
import { useTranslation } from "react-i18next";
import type { NeedsAction } from "./useAlarm.ts";

const NAMED = 3;

export function AlarmBanner({ items }: { items: readonly NeedsAction[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  const names = items
    .slice(0, NAMED)
    .map((i) =>
      t("alarm.item", {
        name: i.type === "case" ? i.c.residentName : i.alert.residentName,
        what: i.type === "case" ? t(`caseType.${i.c.type}`) : t(`alertKind.${i.alert.kind}`),
      }),
    )
    .join(t("common.listSeparator"));
  const more = items.length > NAMED ? ` ${t("alarm.more", { count: items.length })}` : "";
  return (
    <div className="banner banner-alarm" role="alert" data-testid="alarm-banner">
      <span className="alarm-icon" aria-hidden="true">
        ⚠
      </span>
      <span>
        {t("alarm.banner", { names })}
        {more}
      </span>
      <a className="btn btn-alarm" href="#needs-action" data-testid="alarm-show">
        {t("alarm.show")}
      </a>
    </div>
  );
}
