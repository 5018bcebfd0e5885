import { useTranslation } from "react-i18next";
import { formatDuration } from "../lib/format.ts";
import type { SlaClock as Clock } from "../lib/sla.ts";

/** One clock: label, time, and the level spelled out (colour is never the only signal). */
export function SlaClock({ label, clock, testId }: { label: string; clock: Clock | null; testId: string }) {
  const { t } = useTranslation();
  if (!clock) return null;
  return (
    <span
      className={`sla sla-${clock.level} ${clock.running ? "sla-running" : "sla-done"}`}
      data-testid={testId}
      data-level={clock.level}
    >
      <span className="sla-label">{label}</span>
      <span className="sla-time">{formatDuration(clock.seconds)}</span>
      {(clock.level === "amber" || clock.level === "red") && (
        <span className="sla-flag">{t(`sla.${clock.level}`)}</span>
      )}
      {!clock.running && clock.level !== "none" && (
        <span className="sla-check" aria-label={t("sla.done")}>
          ✓
        </span>
      )}
    </span>
  );
}
