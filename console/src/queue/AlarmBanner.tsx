// Flashing banner for emergencies nobody has acknowledged; one button acknowledges all shown.
import { useTranslation } from "react-i18next";
import type { CaseSummary } from "../../../protocol/api.ts";
import { api } from "../api.ts";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { useCan } from "../registers/can.ts";
import { store } from "../store.ts";
import { unlockAudio } from "./alarm.ts";

const SHOWN = 3;

export function AlarmBanner({ cases }: { cases: readonly CaseSummary[] }) {
  const { t } = useTranslation();
  const ack = useAsyncAction(async (ids: number[]) => {
    const results = await Promise.allSettled(ids.map((id) => api.ack(id)));
    for (const r of results) if (r.status === "fulfilled") store.upsertCase(r.value);
    const failed = results.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
  });
  const mayDispatch = useCan()("case.dispatch");
  if (cases.length === 0) return null;

  const names = cases
    .slice(0, SHOWN)
    .map((c) => t("alarm.item", { name: c.residentName, type: t(`caseType.${c.type}`) }))
    .join(t("common.listSeparator"));
  const more = cases.length > SHOWN ? ` ${t("alarm.more", { count: cases.length })}` : "";
  return (
    <div className="banner banner-alarm" role="alert" data-testid="alarm-banner">
      <span className="alarm-icon" aria-hidden="true">
        ⚠
      </span>
      <button type="button" className="linklike" onClick={() => store.selectCase(cases[0]?.id ?? null)}>
        {t("alarm.banner", { names })}
        {more}
      </button>
      {ack.error && <span className="form-error">{ack.error}</span>}
      {mayDispatch && (
        <button
          type="button"
          className="btn btn-alarm"
          data-testid="ack-alarm"
          disabled={ack.busy}
          onClick={() => {
            unlockAudio();
            void ack.run(cases.map((c) => c.id));
          }}
        >
          {t("alarm.ack")}
        </button>
      )}
    </div>
  );
}
