// Device health: filters (never connected, offline, low battery, no test press in 7 days), search
// by device id, resident name or phone, and sorting and paging done by the server; rows on screen
// stay live through `device:updated`.
import { useDeferredValue, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  DEVICE_FILTERS,
  LOW_BATTERY_PERCENT,
  type DeviceFilter,
  type DeviceSort,
  type SortDirection,
} from "../../../protocol/domain.ts";
import { api } from "../api.ts";
import { useLoad } from "../hooks/useLoad.ts";
import { formatLevel, formatTimestamp } from "../lib/format.ts";
import { Pager } from "../shell/Pager.tsx";
import { store, useStore } from "../store.ts";
import { SupervisionProfiles } from "./SupervisionProfiles.tsx";

const PAGE_SIZE = 50;

/** The sortable columns, in table order: sort key and header text key. */
const COLUMNS: readonly [
  DeviceSort | null,
  (
    | "id"
    | "resident"
    | "phone"
    | "community"
    | "online"
    | "battery"
    | "signal"
    | "lastSeen"
    | "lastTest"
    | "rejected"
  ),
][] = [
  ["id", "id"],
  ["resident", "resident"],
  [null, "phone"],
  ["community", "community"],
  [null, "online"],
  ["battery", "battery"],
  [null, "signal"],
  ["lastSeenAt", "lastSeen"],
  ["lastTestAt", "lastTest"],
  [null, "rejected"],
];

export default function DeviceHealth() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<DeviceFilter>("offline");
  const [query, setQuery] = useState("");
  const q = useDeferredValue(query.trim());
  const [sort, setSort] = useState<{ by: DeviceSort; dir: SortDirection }>({ by: "id", dir: "asc" });
  const [page, setPage] = useState(1);
  const [reload, setReload] = useState(0);
  const devices = useStore((s) => s.devices);
  const { data, error, loading } = useLoad(
    () => api.devices({ filter, q, sort: sort.by, dir: sort.dir, page, pageSize: PAGE_SIZE }),
    [filter, q, sort.by, sort.dir, page, reload],
  );
  // A new search or filter starts on its first page.
  useEffect(() => setPage(1), [filter, q, sort.by, sort.dir]);
  // Into the store, where `device:updated` keeps the rows live.
  useEffect(() => {
    if (data) store.setDevices(data.items);
  }, [data]);

  const rows = useMemo(() => (data ? data.items.map((d) => devices.get(d.id) ?? d) : []), [data, devices]);
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const now = Date.now();
  const sortBy = (by: DeviceSort) =>
    setSort((s) => ({ by, dir: s.by === by && s.dir === "asc" ? "desc" : "asc" }));

  return (
    <section className="panel" aria-labelledby="devices-title">
      <div className="panel-head">
        <h2 id="devices-title">{t("devices.title")}</h2>
        <div className="segmented" role="group" aria-label={t("devices.title")}>
          {DEVICE_FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              aria-pressed={filter === f}
              className={filter === f ? "seg seg-active" : "seg"}
              data-testid={`device-filter-${f}`}
              onClick={() => setFilter(f)}
            >
              {t(`devices.filter.${f}`)}
              {data && <span className="seg-count"> {data.counts[f]}</span>}
            </button>
          ))}
        </div>
        <input
          type="search"
          data-testid="device-search"
          aria-label={t("devices.search")}
          placeholder={t("devices.search")}
          value={query}
          maxLength={64}
          onChange={(e) => {
            // A search looks through every device, not only the current filter's.
            if (query.trim() === "" && e.target.value.trim() !== "") setFilter("all");
            setQuery(e.target.value);
          }}
        />
        <button type="button" className="btn btn-ghost" onClick={() => setReload((n) => n + 1)}>
          {t("common.retry")}
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {!loading && rows.length === 0 && !error ? (
        <p className="muted">{t("devices.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="device-table">
            <thead>
              <tr>
                {COLUMNS.map(([by, label]) => (
                  <th
                    key={label}
                    className={
                      label === "battery" || label === "signal" || label === "rejected" ? "num" : undefined
                    }
                    aria-sort={
                      by !== null && sort.by === by
                        ? sort.dir === "asc"
                          ? "ascending"
                          : "descending"
                        : undefined
                    }
                  >
                    {by === null ? (
                      t(`devices.${label}`)
                    ) : (
                      <button
                        type="button"
                        className="linklike th-sort"
                        data-testid={`device-sort-${by}`}
                        aria-label={t("devices.sortBy", { column: t(`devices.${label}`) })}
                        onClick={() => sortBy(by)}
                      >
                        {t(`devices.${label}`)}
                        {sort.by === by && <span aria-hidden="true">{sort.dir === "asc" ? " ▲" : " ▼"}</span>}
                      </button>
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id} data-testid={`device-row-${d.id}`}>
                  <td className="mono">{d.id}</td>
                  <td>{d.residentName}</td>
                  <td className="mono">{d.residentPhone}</td>
                  <td>{d.communityName}</td>
                  <td>
                    <span className={d.online ? "badge badge-online" : "badge badge-offline"}>
                      {d.lastSeenAt === null
                        ? t("devices.filter.never_connected")
                        : d.online
                          ? t("devices.isOnline")
                          : t("devices.isOffline")}
                    </span>
                  </td>
                  <td
                    className={`num ${d.battery !== null && d.battery < LOW_BATTERY_PERCENT ? "warn-text" : ""}`}
                  >
                    {formatLevel(d.battery)}
                  </td>
                  <td className="num">{formatLevel(d.signal)}</td>
                  <td>{d.lastSeenAt ? formatTimestamp(d.lastSeenAt, now) : t("devices.never")}</td>
                  <td>{d.lastTestAt ? formatTimestamp(d.lastTestAt, now) : t("devices.never")}</td>
                  <td
                    className={`num ${d.rejectedEvents > 0 ? "warn-text" : ""}`}
                    data-testid="device-rejected"
                    title={
                      d.lastRejectReason && d.lastRejectedAt
                        ? t("devices.rejectedLast", {
                            reason: t(`rejectReason.${d.lastRejectReason}`),
                            at: formatTimestamp(d.lastRejectedAt, now),
                          })
                        : undefined
                    }
                  >
                    {d.rejectedEvents}
                  </td>
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
          label={t("devices.page", { page, pages, total: data.total })}
          onPage={setPage}
          testId="device"
        />
      )}
      <SupervisionProfiles />
    </section>
  );
}
