// Response-time KPIs for a date range (default today) and the per-case CSV export.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Kpi } from "../../../protocol/api.ts";
import { api } from "../api.ts";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { errorText } from "../i18n.ts";
import { dayRange, formatDuration, formatPercent, toDateInput } from "../lib/format.ts";

function Tile({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="kpi-tile" data-testid={testId}>
      <div className="kpi-value">{value}</div>
      <div className="kpi-label">{label}</div>
    </div>
  );
}

const seconds = (s: number | null) => (s === null ? "—" : formatDuration(s));

function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export default function KpiPanel() {
  const { t } = useTranslation();
  const today = toDateInput(new Date());
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [kpi, setKpi] = useState<Kpi | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const range = dayRange(from, to);
  const rangeKey = range ? `${range.from}/${range.to}` : "";

  useEffect(() => {
    const r = rangeKey ? rangeKey.split("/") : null;
    if (!r) return;
    let live = true;
    api.kpis(r[0], r[1]).then(
      (k) => {
        if (!live) return;
        setKpi(k);
        setError(null);
      },
      (err: unknown) => {
        if (live) setError(errorText(err));
      },
    );
    return () => {
      live = false;
    };
  }, [rangeKey, reload]);

  const exportCsv = useAsyncAction(async () => {
    if (!range) return;
    const { blob, filename } = await api.kpiCsv(range.from, range.to);
    download(blob, filename);
  });

  return (
    <section className="panel" aria-labelledby="kpi-title">
      <div className="panel-head">
        <h2 id="kpi-title">{t("kpi.title")}</h2>
        <label className="field-inline">
          <span>{t("kpi.from")}</span>
          <input
            type="date"
            data-testid="kpi-from"
            value={from}
            max={to}
            onChange={(e) => setFrom(e.target.value)}
          />
        </label>
        <label className="field-inline">
          <span>{t("kpi.to")}</span>
          <input
            type="date"
            data-testid="kpi-to"
            value={to}
            min={from}
            onChange={(e) => setTo(e.target.value)}
          />
        </label>
        <button type="button" className="btn btn-ghost" onClick={() => setReload((n) => n + 1)}>
          {t("kpi.refresh")}
        </button>
        <a
          href={range ? `/api/kpis.csv?${new URLSearchParams(range).toString()}` : "#"}
          className="btn btn-primary"
          data-testid="kpi-export"
          aria-disabled={!range || exportCsv.busy}
          onClick={(e) => {
            // The endpoint needs the bearer token, which a plain link cannot send.
            e.preventDefault();
            if (range && !exportCsv.busy) void exportCsv.run();
          }}
        >
          {exportCsv.busy ? t("kpi.exporting") : t("kpi.export")}
        </a>
      </div>
      {!range && <p className="form-error">{t("kpi.badRange")}</p>}
      {(error ?? exportCsv.error) && (
        <p className="form-error" role="alert">
          {error ?? exportCsv.error}
        </p>
      )}
      {kpi && (
        <div className="kpi-grid" data-testid="kpi-grid">
          <Tile testId="kpi-alarms" label={t("kpi.alarms")} value={String(kpi.alarms)} />
          <Tile testId="kpi-emergencies" label={t("kpi.emergencies")} value={String(kpi.emergencies)} />
          <Tile testId="kpi-service" label={t("kpi.serviceRequests")} value={String(kpi.serviceRequests)} />
          <Tile
            testId="kpi-accepted60"
            label={t("kpi.accepted60")}
            value={formatPercent(kpi.acceptedWithin60sPct)}
          />
          <Tile
            testId="kpi-onscene15"
            label={t("kpi.onScene15")}
            value={formatPercent(kpi.onSceneWithin15minPct)}
          />
          <Tile
            testId="kpi-onscene45"
            label={t("kpi.onScene45")}
            value={formatPercent(kpi.onSceneWithin45minPct)}
          />
          <Tile
            testId="kpi-median-accept"
            label={t("kpi.medianAccept")}
            value={seconds(kpi.medianAcceptSeconds)}
          />
          <Tile
            testId="kpi-median-onscene"
            label={t("kpi.medianOnScene")}
            value={seconds(kpi.medianOnSceneSeconds)}
          />
          <Tile
            testId="kpi-open-escalations"
            label={t("kpi.openEscalations")}
            value={String(kpi.openEscalations)}
          />
        </div>
      )}
    </section>
  );
}
