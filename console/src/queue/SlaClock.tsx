import { useTranslation } from "react-i18next";
import { formatDuration } from "../lib/format.ts";
import type { SlaClock as Clock } from "../lib/sla.ts";

/**
 * One clock: label, time, and the level spelled out (colour is never the only signal). A
 * countdown that ran out shows its `lateLabel` and how long ago.
 */
export function SlaClock({
  label,
  lateLabel,
  clock,
  testId,
}: {
  label: string;
  lateLabel?: string;
  clock: Clock | null;
  testId: string;
}) {
  const { t } = useTranslation();
  if (!clock) return null;
  const late = lateLabel !== undefined && clock.seconds < 0;
  return (
    <span
      className={`sla sla-${clock.level} ${clock.running ? "sla-running" : "sla-done"}`}
      data-testid={testId}
      data-level={clock.level}
    >
      <span className="sla-label">{late ? lateLabel : label}</span>
      <span className="sla-time">{formatDuration(Math.abs(clock.seconds))}</span>
      {clock.level === "amber" && <span className="sla-flag">{t("sla.amber")}</span>}
      {!clock.running && clock.level !== "none" && (
        <span className="sla-check" aria-label={t("sla.done")}>
          ✓
        </span>
      )}
    </span>
  );
}
