// The resident register: a searchable, server-paged table (name, phone, address, device id or a
// contact's phone), a resident's page, and enrolment for those who may enrol.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { RECORD_STATUSES, type RecordStatus } from "../../../../protocol/api.ts";
import { useLoad } from "../../hooks/useLoad.ts";
import { useCan } from "../can.ts";
import { OpenButton, PagedTable } from "../PagedTable.tsx";
import { registers } from "../api.ts";
import { useCommunities } from "../useCommunities.ts";
import { useDebounced } from "../useDebounced.ts";
import { ResidentForm } from "./ResidentForm.tsx";
import { ResidentView } from "./ResidentView.tsx";
import "../registers.css";

type View = { kind: "list" } | { kind: "new" } | { kind: "record"; id: number };

export default function ResidentsPage() {
  const { t } = useTranslation();
  const may = useCan();
  const communities = useCommunities();
  const [view, setView] = useState<View>({ kind: "list" });
  const [q, setQ] = useState("");
  const [communityId, setCommunityId] = useState("");
  const [status, setStatus] = useState<RecordStatus>("active");
  const [page, setPage] = useState(1);
  const [reload, setReload] = useState(0);
  const term = useDebounced(q.trim());
  const { data, error, loading } = useLoad(
    () => registers.residents({ q: term, communityId, status, page }),
    [term, communityId, status, page, reload],
  );
  const back = () => {
    setView({ kind: "list" });
    setReload((n) => n + 1);
  };

  if (view.kind === "new")
    return <ResidentForm onSaved={(r) => setView({ kind: "record", id: r.id })} onCancel={back} />;
  if (view.kind === "record") return <ResidentView id={view.id} onBack={back} />;

  return (
    <section className="panel reg-page" aria-labelledby="residents-title" data-testid="residents-page">
      <div className="panel-head">
        <h2 id="residents-title">{t("registers.resident.title")}</h2>
        <input
          type="search"
          className="reg-search"
          data-testid="resident-search"
          placeholder={t("registers.list.searchResidents")}
          aria-label={t("registers.list.search")}
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setPage(1);
          }}
        />
        <select
          aria-label={t("registers.resident.community")}
          value={communityId}
          onChange={(e) => {
            setCommunityId(e.target.value);
            setPage(1);
          }}
        >
          <option value="">{t("registers.list.allCommunities")}</option>
          {communities?.communities.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <select
          aria-label={t("registers.list.status")}
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as RecordStatus);
            setPage(1);
          }}
        >
          {RECORD_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`registers.list.${s}`)}
            </option>
          ))}
        </select>
        {may("resident.enrol") && (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="resident-new"
            onClick={() => setView({ kind: "new" })}
          >
            {t("registers.resident.new")}
          </button>
        )}
        {loading && <span className="muted">{t("common.loading")}</span>}
      </div>
      <PagedTable
        data={data}
        error={error}
        testId="resident-table"
        onPage={setPage}
        head={
          <>
            <th>{t("registers.resident.name")}</th>
            <th>{t("registers.resident.gender")}</th>
            <th className="num">{t("registers.resident.birthDate")}</th>
            <th>{t("registers.resident.phone")}</th>
            <th>{t("registers.resident.address")}</th>
            <th>{t("registers.resident.community")}</th>
            <th>{t("registers.resident.devices")}</th>
            <th />
          </>
        }
        row={(r) => (
          <tr key={r.id} data-testid={`resident-row-${r.id}`} className={r.retiredAt ? "reg-retired" : ""}>
            <td>{r.name}</td>
            <td>{t(`gender.${r.gender}`)}</td>
            <td className="num">{r.birthDate ?? r.birthYear}</td>
            <td className="mono">{r.phone}</td>
            <td>{r.address}</td>
            <td>
              {r.communityName} · {r.gridName}
            </td>
            <td className="mono">{r.deviceIds.join(" ")}</td>
            <td>
              <OpenButton
                testId={`resident-open-${r.id}`}
                onOpen={() => setView({ kind: "record", id: r.id })}
              />
            </td>
          </tr>
        )}
      />
    </section>
  );
}
