// One badge per escalation so far ("120 已呼叫", "家属已通知"), not only the latest.
import { useTranslation } from "react-i18next";
import type { CaseSummary } from "../../../protocol/api.ts";

export function EscalationBadges({ c }: { c: Pick<CaseSummary, "escalations"> }) {
  const { t } = useTranslation();
  return (
    <>
      {c.escalations.map((reason) => (
        <span
          key={reason}
          className={`badge badge-escalated esc-${reason}`}
          data-testid={`escalation-${reason}`}
        >
          {t(`escalationBadge.${reason}`)}
        </span>
      ))}
    </>
  );
}
