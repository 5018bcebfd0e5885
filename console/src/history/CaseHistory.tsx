// Case history: closed and open cases searched by resident, device, responder, type, status and
// date range, in pages from the server; opening one shows its drawer read-only.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { CaseHistoryQuery } from "../../../protocol/api.ts";
import { CASE_STATUSES, CASE_TYPES, type CaseStatus, type CaseType } from "../../../protocol/domain.ts";
import { api } from "../api.ts";
import { PriorityBadge, StatusBadge, useCaseTypeLabel } from "../case/labels.tsx";
import { useLoad } from "../hooks/useLoad.ts";
import { dayRange, formatTimestamp } from "../lib/format.ts";
import { Pager } from "../shell/Pager.tsx";
import { store } from "../store.ts";

const PAGE_SIZE = 25;

interface Form {
  resident: string;
  device: string;
  responder: string;
  type: CaseType | "";
  status: CaseStatus | "";
  from: string;
  to: string;
}

const EMPTY: Form = { resident: "", device: "", responder: "", type: "", status: "", from: "", to: "" };

function toQuery(f: Form, page: number): Partial<CaseHistoryQuery> {
  const range = f.from && f.to ? dayRange(f.from, f.to) : null;
  const text = (v: string) => (v.trim() === "" ? undefined : v.trim());
  return {
    resident: text(f.resident),
    device: text(f.device),
    responder: text(f.responder),
    type: f.type === "" ? undefined : f.type,
    status: f.status === "" ? undefined : f.status,
    from: range?.from,
    to: range?.to,
    page,
    pageSize: PAGE_SIZE,
  };
}

export default function CaseHistory() {
  const { t } = useTranslation();
  const typeLabel = useCaseTypeLabel();
  const [form, setForm] = useState<Form>(EMPTY);
  const [query, setQuery] = useState<Form>(EMPTY);
  const [page, setPage] = useState(1);
  const { data, error, loading } = useLoad(() => api.history(toQuery(query, page)), [query, page]);
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const set = (k: keyof Form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPage(1);
    setQuery(form);
  };
  const now = Date.now();
  return (
    <section className="panel" aria-labelledby="history-title">
      <form className="panel-head" onSubmit={submit}>
        <h2 id="history-title">{t("history.title")}</h2>
        <input
          aria-label={t("history.resident")}
          placeholder={t("history.resident")}
          data-testid="history-resident"
          value={form.resident}
          onChange={set("resident")}
          maxLength={64}
        />
        <input
          aria-label={t("history.device")}
          placeholder={t("history.device")}
          data-testid="history-device"
          value={form.device}
          onChange={set("device")}
          maxLength={64}
        />
        <input
          aria-label={t("history.responder")}
          placeholder={t("history.responder")}
          data-testid="history-responder"
          value={form.responder}
          onChange={set("responder")}
          maxLength={64}
        />
        <select
          aria-label={t("history.type")}
          data-testid="history-type"
          value={form.type}
          onChange={set("type")}
        >
          <option value="">{t("history.allTypes")}</option>
          {CASE_TYPES.map((x) => (
            <option key={x} value={x}>
              {t(`caseType.${x}`)}
            </option>
          ))}
        </select>
        <select
          aria-label={t("history.status")}
          data-testid="history-status"
          value={form.status}
          onChange={set("status")}
        >
          <option value="">{t("history.allStatuses")}</option>
          {CASE_STATUSES.map((x) => (
            <option key={x} value={x}>
              {t(`caseStatus.${x}`)}
            </option>
          ))}
        </select>
        <label className="field-inline">
          <span>{t("history.from")}</span>
          <input type="date" data-testid="history-from" value={form.from} onChange={set("from")} />
        </label>
        <label className="field-inline">
          <span>{t("history.to")}</span>
          <input type="date" data-testid="history-to" value={form.to} onChange={set("to")} />
        </label>
        <button type="submit" className="btn btn-primary" data-testid="history-search">
          {t("history.search")}
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {data && data.items.length === 0 && !loading && <p className="muted">{t("history.empty")}</p>}
      {data && data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="history-table">
            <thead>
              <tr>
                <th>{t("history.case")}</th>
                <th>{t("history.created")}</th>
                <th>{t("history.type")}</th>
                <th>{t("history.status")}</th>
                <th>{t("devices.resident")}</th>
                <th>{t("devices.community")}</th>
                <th>{t("history.responder")}</th>
                <th>{t("history.device")}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((c) => (
                <tr key={c.id} data-testid={`history-row-${c.id}`}>
                  <td>
                    <button
                      type="button"
                      className="linklike"
                      data-testid={`history-open-${c.id}`}
                      onClick={() => store.selectCase(c.id, true)}
                    >
                      #{c.id} {t("history.open")}
                    </button>
                  </td>
                  <td>{formatTimestamp(c.createdAt, now)}</td>
                  <td>
                    <PriorityBadge priority={c.priority} /> {typeLabel(c)}
                  </td>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                  <td>{c.residentName}</td>
                  <td>{c.communityName}</td>
                  <td>{c.responderName ?? "—"}</td>
                  <td className="mono">{c.deviceId ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && (
        <Pager
          page={page}
          pages={pages}
          label={t("history.page", { page, pages, total: data.total })}
          onPage={setPage}
          testId="history"
        />
      )}
    </section>
  );
}
