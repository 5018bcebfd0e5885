// Device health: all / offline / low battery, refreshed live by `device:updated`.
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { DEVICE_FILTERS, LOW_BATTERY_PERCENT, type DeviceFilter } from "../../../protocol/domain.ts";
import { api } from "../api.ts";
import { useLoad } from "../hooks/useLoad.ts";
import { formatLevel, formatTimestamp } from "../lib/format.ts";
import { store, useStore } from "../store.ts";

const MAX_ROWS = 1000;

export default function DeviceHealth() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<DeviceFilter>("offline");
  const [reload, setReload] = useState(0);
  const devices = useStore((s) => s.devices);
  const { data: list, error, loading } = useLoad(() => api.devices(filter), [filter, reload]);
  // Into the store, where `device:updated` keeps the rows live.
  useEffect(() => {
    if (list) store.setDevices(list);
  }, [list]);

  const rows = useMemo(() => [...devices.values()], [devices]);
  const now = Date.now();
  return (
    <section className="panel" aria-labelledby="devices-title">
      <div className="panel-head">
        <h2 id="devices-title">{t("devices.title")}</h2>
        <div className="segmented" role="tablist">
          {DEVICE_FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              role="tab"
              aria-selected={filter === f}
              className={filter === f ? "seg seg-active" : "seg"}
              data-testid={`device-filter-${f}`}
              onClick={() => setFilter(f)}
            >
              {t(`devices.filter.${f}`)}
            </button>
          ))}
        </div>
        <button type="button" className="btn btn-ghost" onClick={() => setReload((n) => n + 1)}>
          {t("common.retry")}
        </button>
        <span className="muted">
          {loading
            ? t("common.loading")
            : rows.length > MAX_ROWS
              ? t("devices.showing", { shown: MAX_ROWS, total: rows.length })
              : t("devices.count", { count: rows.length })}
        </span>
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
                <th>{t("devices.id")}</th>
                <th>{t("devices.resident")}</th>
                <th>{t("devices.community")}</th>
                <th>{t("devices.online")}</th>
                <th className="num">{t("devices.battery")}</th>
                <th className="num">{t("devices.signal")}</th>
                <th>{t("devices.lastSeen")}</th>
                <th>{t("devices.lastTest")}</th>
                <th className="num">{t("devices.rejected")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, MAX_ROWS).map((d) => (
                <tr key={d.id} data-testid={`device-row-${d.id}`}>
                  <td className="mono">{d.id}</td>
                  <td>{d.residentName}</td>
                  <td>{d.communityName}</td>
                  <td>
                    <span className={d.online ? "badge badge-online" : "badge badge-offline"}>
                      {d.online ? t("devices.isOnline") : t("devices.isOffline")}
                    </span>
                  </td>
                  <td
                    className={`num ${d.battery !== null && d.battery < LOW_BATTERY_PERCENT ? "warn-text" : ""}`}
                  >
                    {formatLevel(d.battery)}
                  </td>
                  <td className="num">{formatLevel(d.signal)}</td>
                  <td>{d.lastSeenAt ? formatTimestamp(d.lastSeenAt, now) : "—"}</td>
                  <td>{d.lastTestAt ? formatTimestamp(d.lastTestAt, now) : "—"}</td>
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
    </section>
  );
}
