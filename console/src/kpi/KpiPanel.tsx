// Response-time KPIs for a date range (default today) and the per-case CSV export.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Kpi } from "../../../protocol/api.ts";
import { api } from "../api.ts";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { useLoad } from "../hooks/useLoad.ts";
import { currentLanguage, type Texts } from "../i18n.ts";
import { dayRange, formatDuration, formatPercent, todayInput } from "../lib/format.ts";
import { saveFile } from "../lib/save-file.ts";
import { DateRange } from "../shell/DateRange.tsx";

function Tile({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="kpi-tile" data-testid={testId}>
      <div className="kpi-value">{value}</div>
      <div className="kpi-label">{label}</div>
    </div>
  );
}

const seconds = (s: number | null) => (s === null ? "—" : formatDuration(s));

/** The tiles, in reading order: test id, label under `kpi.`, and how the figure reads. */
type TileLabel = Exclude<keyof Texts["kpi"], "csv">;
const TILES: readonly [string, TileLabel, (k: Kpi) => string][] = [
  ["alarms", "alarms", (k) => String(k.alarms)],
  ["emergencies", "emergencies", (k) => String(k.emergencies)],
  ["service", "serviceRequests", (k) => String(k.serviceRequests)],
  ["accepted60", "accepted60", (k) => formatPercent(k.acceptedWithin60sPct)],
  ["onscene15", "onScene15", (k) => formatPercent(k.onSceneWithin15minPct)],
  ["onscene45", "onScene45", (k) => formatPercent(k.onSceneWithin45minPct)],
  ["median-accept", "medianAccept", (k) => seconds(k.medianAcceptSeconds)],
  ["median-onscene", "medianOnScene", (k) => seconds(k.medianOnSceneSeconds)],
  ["open-escalations", "openEscalations", (k) => String(k.openEscalations)],
];

export default function KpiPanel() {
  const { t } = useTranslation();
  // Days on the platform's clock: "today" is the same day for every console and for the server.
  const today = todayInput(Date.now());
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [reload, setReload] = useState(0);
  const range = dayRange(from, to);
  const { data: kpi, error } = useLoad(range && (() => api.kpis(range.from, range.to)), [
    range?.from,
    range?.to,
    reload,
  ]);

  const exportCsv = useAsyncAction(async () => {
    if (!range) return;
    const { blob, filename } = await api.kpiCsv(currentLanguage(), range.from, range.to);
    saveFile(blob, filename);
  });

  return (
    <section className="panel" aria-labelledby="kpi-title">
      <div className="panel-head">
        <h2 id="kpi-title">{t("kpi.title")}</h2>
        <DateRange
          from={from}
          to={to}
          onFrom={setFrom}
          onTo={setTo}
          fromLabel={t("kpi.from")}
          toLabel={t("kpi.to")}
          testId="kpi"
        />
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
          {TILES.map(([testId, label, value]) => (
            <Tile key={testId} testId={`kpi-${testId}`} label={t(`kpi.${label}`)} value={value(kpi)} />
          ))}
        </div>
      )}
    </section>
  );
}
