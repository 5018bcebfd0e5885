// The team register: caregivers, volunteers, grid workers and doctors, searchable and paged; a
// responder's page; enrolment with the phone login that goes with them.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { RECORD_STATUSES, type RecordStatus } from "../../../../protocol/api.ts";
import { RESPONDER_ROLES, type ResponderRole } from "../../../../protocol/domain.ts";
import { useLoad } from "../../hooks/useLoad.ts";
import { useCan } from "../can.ts";
import { OpenButton, PagedTable } from "../PagedTable.tsx";
import { registers } from "../api.ts";
import { useCommunities } from "../useCommunities.ts";
import { useDebounced } from "../useDebounced.ts";
import { ResponderEditor } from "./ResponderEditor.tsx";
import "../registers.css";

type View = { kind: "list" } | { kind: "new" } | { kind: "record"; id: number };

export default function TeamPage() {
  const { t } = useTranslation();
  const may = useCan();
  const communities = useCommunities();
  const [view, setView] = useState<View>({ kind: "list" });
  const [q, setQ] = useState("");
  const [communityId, setCommunityId] = useState("");
  const [role, setRole] = useState<ResponderRole | "">("");
  const [status, setStatus] = useState<RecordStatus>("active");
  const [page, setPage] = useState(1);
  const [reload, setReload] = useState(0);
  const term = useDebounced(q.trim());
  const { data, error, loading } = useLoad(
    () => registers.responders({ q: term, communityId, role, status, page }),
    [term, communityId, role, status, page, reload],
  );
  const back = () => {
    setView({ kind: "list" });
    setReload((n) => n + 1);
  };
  if (view.kind !== "list")
    return (
      <ResponderEditor
        id={view.kind === "record" ? view.id : null}
        onOpen={(id) => setView({ kind: "record", id })}
        onBack={back}
      />
    );
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };

  return (
    <section className="panel reg-page" aria-labelledby="team-title" data-testid="team-page">
      <div className="panel-head">
        <h2 id="team-title">{t("registers.responder.title")}</h2>
        <input
          type="search"
          className="reg-search"
          data-testid="responder-search"
          placeholder={t("registers.list.searchResponders")}
          aria-label={t("registers.list.search")}
          value={q}
          onChange={(e) => filter(setQ)(e.target.value)}
        />
        <select
          aria-label={t("registers.responder.community")}
          value={communityId}
          onChange={(e) => filter(setCommunityId)(e.target.value)}
        >
          <option value="">{t("registers.list.allCommunities")}</option>
          {communities?.communities.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <select
          aria-label={t("registers.responder.role")}
          value={role}
          onChange={(e) => filter(setRole)(e.target.value as ResponderRole | "")}
        >
          <option value="">{t("registers.list.allRoles")}</option>
          {RESPONDER_ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`responderRole.${r}`)}
            </option>
          ))}
        </select>
        <select
          aria-label={t("registers.list.status")}
          value={status}
          onChange={(e) => filter(setStatus)(e.target.value as RecordStatus)}
        >
          {RECORD_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`registers.list.${s}`)}
            </option>
          ))}
        </select>
        {may("responder.manage") && (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="responder-new"
            onClick={() => setView({ kind: "new" })}
          >
            {t("registers.responder.new")}
          </button>
        )}
        {loading && <span className="muted">{t("common.loading")}</span>}
      </div>
      <PagedTable
        data={data}
        error={error}
        testId="responder-table"
        onPage={setPage}
        head={
          <>
            <th>{t("registers.responder.name")}</th>
            <th>{t("registers.responder.role")}</th>
            <th>{t("registers.responder.phone")}</th>
            <th>{t("registers.responder.community")}</th>
            <th className="num">{t("registers.responder.volunteerHours")}</th>
            <th>{t("registers.responder.account")}</th>
            <th>{t("registers.responder.pairedResidents")}</th>
            <th />
          </>
        }
        row={(r) => (
          <tr key={r.id} data-testid={`responder-row-${r.id}`} className={r.retiredAt ? "reg-retired" : ""}>
            <td>{r.name}</td>
            <td>{t(`responderRole.${r.role}`)}</td>
            <td className="mono">{r.phone}</td>
            <td>{r.communityName}</td>
            <td className="num">{r.volunteerHours}</td>
            <td className="mono">{r.account?.username ?? t("registers.responder.noAccount")}</td>
            <td className="num">{r.pairedResidents.length}</td>
            <td>
              <OpenButton
                testId={`responder-open-${r.id}`}
                onOpen={() => setView({ kind: "record", id: r.id })}
              />
            </td>
          </tr>
        )}
      />
    </section>
  );
}
