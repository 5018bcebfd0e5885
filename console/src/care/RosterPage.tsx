// The duty roster screen: per community who is on shift now, who comes next and the hours ahead
// nobody covers (a warning to fix the roster in time), the stored coverage alerts to acknowledge,
// and one responder's roster to edit.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { DutyBoard } from "../../../protocol/api.ts";
import { api } from "../api.ts";
import { useLoad } from "../hooks/useLoad.ts";
import { formatShortDateTime } from "../lib/format.ts";
import { useCan } from "../registers/can.ts";
import { careApi } from "./api.ts";
import { CoverageAlerts } from "./CoverageAlerts.tsx";
import { RosterEditor } from "./RosterEditor.tsx";
import "./care.css";

type Community = DutyBoard["communities"][number];

function People({ rows, testId, empty }: { rows: Community["onDuty"]; testId: string; empty: string }) {
  const { t } = useTranslation();
  if (rows.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="care-list" data-testid={testId}>
      {rows.map((p) => (
        <li key={`${p.responderId}-${p.startsAt}`}>
          <strong>{p.name}</strong> · {t(`responderRole.${p.role}`)} · {formatShortDateTime(p.startsAt)}–
          {formatShortDateTime(p.endsAt)}
        </li>
      ))}
    </ul>
  );
}

export default function RosterPage() {
  const { t } = useTranslation();
  const [reload, setReload] = useState(0);
  const [responderId, setResponderId] = useState<number | null>(null);
  const board = useLoad(() => careApi.board(24), [reload]);
  const team = useLoad(() => api.responders(), []);
  const mayEdit = useCan()("roster.manage");

  return (
    <section className="panel" aria-labelledby="roster-title">
      <div className="panel-head">
        <h2 id="roster-title">{t("care.roster.title")}</h2>
        <button type="button" className="btn btn-ghost" onClick={() => setReload((n) => n + 1)}>
          {t("care.refresh")}
        </button>
      </div>
      {board.error && <p className="error">{board.error}</p>}
      <CoverageAlerts />
      <div className="care-grid" data-testid="duty-board">
        {board.data?.communities.map((c) => (
          <article key={c.communityId} className="care-card" data-testid={`board-${c.communityId}`}>
            <h3>{c.communityName}</h3>
            {c.gaps.length > 0 && (
              <div className="care-warning" role="alert" data-testid={`gaps-${c.communityId}`}>
                {t("care.roster.gapWarning")}
                <ul>
                  {c.gaps.map((g) => (
                    <li key={g.from}>
                      {formatShortDateTime(g.from)}–{formatShortDateTime(g.until)}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <h4>{t("care.roster.onDutyNow")}</h4>
            <People rows={c.onDuty} testId={`on-duty-${c.communityId}`} empty={t("care.roster.nobody")} />
            <h4>{t("care.roster.next")}</h4>
            <People rows={c.next} testId={`next-${c.communityId}`} empty={t("care.roster.noneRostered")} />
          </article>
        ))}
      </div>
      <div className="panel-head">
        <h3>{t("care.roster.edit")}</h3>
        <label className="field-inline">
          <span>{t("care.roster.responder")}</span>
          <select
            data-testid="roster-responder"
            value={responderId ?? ""}
            onChange={(e) => setResponderId(e.target.value === "" ? null : Number(e.target.value))}
          >
            <option value="">—</option>
            {team.data?.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name} · {t(`responderRole.${r.role}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {responderId !== null && (
        <RosterEditor
          key={responderId}
          responderId={responderId}
          mayEdit={mayEdit}
          onChanged={() => setReload((n) => n + 1)}
        />
      )}
    </section>
  );
}
