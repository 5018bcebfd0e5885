// Small badges shared by the queue, the drawer and the map popups: colour plus text.
import { useTranslation } from "react-i18next";
import type { CaseSummary } from "../../../protocol/api.ts";

export function PriorityBadge({ priority }: { priority: CaseSummary["priority"] }) {
  const { t } = useTranslation();
  return <span className={`badge prio-${priority}`}>{t(`priority.${priority}`)}</span>;
}

export function StatusBadge({ status, testId }: { status: CaseSummary["status"]; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge status status-${status}`} data-testid={testId} data-status={status}>
      {t(`caseStatus.${status}`)}
    </span>
  );
}

/** "跌倒", or for service requests the service ("服务请求 · 助浴"). */
export function useCaseTypeLabel(): (c: Pick<CaseSummary, "type" | "service">) => string {
  const { t } = useTranslation();
  return (c) =>
    c.service ? `${t(`caseType.${c.type}`)} · ${t(`service.${c.service}`)}` : t(`caseType.${c.type}`);
}
