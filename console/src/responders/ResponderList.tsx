// Responders with duty status and activity; filter by role, duty and name. Live from the store.
import { useDeferredValue, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { RESPONDER_ROLES, type ResponderActivity, type ResponderRole } from "../../../protocol/domain.ts";
import { formatTimestamp, telHref } from "../lib/format.ts";
import { store, useStore } from "../store.ts";

const MAX_ROWS = 300;
const collator = new Intl.Collator("zh-CN");
/** Busiest first: who is at a door, on the way, has a job, is being asked, is free, is off. */
const ACTIVITY_ORDER = {
  on_scene: 0,
  en_route: 1,
  accepted: 2,
  offered: 3,
  idle: 4,
  off_duty: 5,
} as const satisfies Record<ResponderActivity, number>;

export default function ResponderList() {
  const { t } = useTranslation();
  // Positions stream in every few seconds; the table may lag a frame behind the map.
  const responders = useDeferredValue(useStore((s) => s.responders));
  const [role, setRole] = useState<ResponderRole | "all">("all");
  const [onDutyOnly, setOnDutyOnly] = useState(true);
  const [query, setQuery] = useState("");
  const q = useDeferredValue(query.trim());

  const filtered = useMemo(() => {
    const out = [...responders.values()].filter(
      (r) =>
        (role === "all" || r.role === role) && (!onDutyOnly || r.onDuty) && (q === "" || r.name.includes(q)),
    );
    out.sort(
      (a, b) => ACTIVITY_ORDER[a.activity] - ACTIVITY_ORDER[b.activity] || collator.compare(a.name, b.name),
    );
    return out;
  }, [responders, role, onDutyOnly, q]);

  const now = Date.now();
  const shown = filtered.slice(0, MAX_ROWS);
  return (
    <section className="panel" aria-labelledby="responders-title">
      <div className="panel-head">
        <h2 id="responders-title">{t("responders.title")}</h2>
        <label className="field-inline">
          <span>{t("responders.role")}</span>
          <select
            data-testid="responder-role-filter"
            value={role}
            onChange={(e) => setRole(e.target.value as ResponderRole | "all")}
          >
            <option value="all">{t("responders.allRoles")}</option>
            {RESPONDER_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`responderRole.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            data-testid="responder-on-duty-only"
            checked={onDutyOnly}
            onChange={(e) => setOnDutyOnly(e.target.checked)}
          />
          {t("responders.onDutyOnly")}
        </label>
        <input
          type="search"
          aria-label={t("responders.search")}
          placeholder={t("responders.search")}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <span className="muted">
          {t("responders.showing", { shown: shown.length, total: filtered.length })}
        </span>
      </div>
      {filtered.length === 0 ? (
        <p className="muted">{t("responders.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="responder-table">
            <thead>
              <tr>
                <th>{t("responders.name")}</th>
                <th>{t("responders.phone")}</th>
                <th>{t("responders.role")}</th>
                <th>{t("responders.duty")}</th>
                <th>{t("responders.activity")}</th>
                <th>{t("responders.phoneState")}</th>
                <th>{t("responders.transport")}</th>
                <th>{t("responders.case")}</th>
                <th>{t("responders.locationAt")}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.id} data-testid={`responder-row-${r.id}`}>
                  <td>{r.name}</td>
                  <td>
                    <a className="tel-link" href={telHref(r.phone)}>
                      {r.phone}
                    </a>
                  </td>
                  <td>{t(`responderRole.${r.role}`)}</td>
                  <td>
                    <span className={r.onDuty ? "badge badge-online" : "badge badge-offline"}>
                      {r.onDuty ? t("responders.onDuty") : t("responders.offDuty")}
                    </span>
                  </td>
                  <td>
                    <span className={`badge act act-${r.activity}`}>{t(`activity.${r.activity}`)}</span>
                  </td>
                  <td>
                    <span
                      className={`badge phone-${r.phoneState}`}
                      data-testid={`phone-state-${r.id}`}
                      data-state={r.phoneState}
                      title={
                        r.lastSeenAt
                          ? t("responders.lastSeen", { time: formatTimestamp(r.lastSeenAt, now) })
                          : undefined
                      }
                    >
                      {t(`phoneState.${r.phoneState}`)}
                    </span>
                    {r.phoneState !== "live" && r.lastSeenAt && (
                      <div className="muted">
                        {t("responders.lastSeen", { time: formatTimestamp(r.lastSeenAt, now) })}
                      </div>
                    )}
                  </td>
                  <td>{t(`transport.${r.transport}`)}</td>
                  <td>
                    {r.caseId !== null ? (
                      <button type="button" className="linklike" onClick={() => store.selectCase(r.caseId)}>
                        #{r.caseId}
                      </button>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>{r.locationAt ? formatTimestamp(r.locationAt, now) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
