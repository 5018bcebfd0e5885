// Reports per community, grid or responder, per day, week or month: a chart of alarms, the table
// of figures, and CSV/XLSX exports in the UI language (days in the platform's time zone).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  REPORT_GROUPS,
  REPORT_PERIODS,
  type ReportFigures,
  type ReportGroup,
  type ReportPeriod,
} from "../../../protocol/api.ts";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { useLoad } from "../hooks/useLoad.ts";
import { currentLanguage } from "../i18n.ts";
import { formatPercent, todayInput } from "../lib/format.ts";
import { saveFile } from "../lib/save-file.ts";
import { careApi } from "./api.ts";
import { ExportButtons, type ExportFormat } from "./ExportButtons.tsx";
import { ReportChart } from "./ReportChart.tsx";
import "./care.css";
import { DateRange } from "../shell/DateRange.tsx";

const seconds = (s: number | null) => (s === null ? "—" : String(Math.round(s)));

function Cells({ f }: { f: ReportFigures }) {
  return (
    <>
      <td>{f.alarms}</td>
      <td>{f.falseAlarms}</td>
      <td>{f.escalations}</td>
      <td>
        {seconds(f.pressToAcceptP50)} / {seconds(f.pressToAcceptP90)}
      </td>
      <td>
        {seconds(f.pressToSceneP50)} / {seconds(f.pressToSceneP90)}
      </td>
      <td>{formatPercent(f.acceptedWithin60sPct)}</td>
      <td>{formatPercent(f.onSceneWithin15minPct)}</td>
      <td>{formatPercent(f.onSceneWithin45minPct)}</td>
      <td>{f.deviceProblems}</td>
      <td>{f.serviceHours}</td>
    </>
  );
}

export default function ReportsPage() {
  const { t } = useTranslation();
  const [from, setFrom] = useState(() => todayInput(Date.now() - 6 * 86_400_000));
  const [to, setTo] = useState(() => todayInput());
  const [group, setGroup] = useState<ReportGroup>("community");
  const [period, setPeriod] = useState<ReportPeriod>("day");
  const query = { from, to, group, period };
  const report = useLoad(from <= to ? () => careApi.report(query) : null, [from, to, group, period]);
  const exportAs = useAsyncAction(async (format: ExportFormat) => {
    const { blob, filename } = await careApi.reportFile(format, { ...query, lang: currentLanguage() });
    saveFile(blob, filename);
  });
  const r = report.data;
  return (
    <section className="panel" aria-labelledby="reports-title">
      <div className="panel-head">
        <h2 id="reports-title">{t("care.reports.title")}</h2>
        <DateRange
          from={from}
          to={to}
          onFrom={setFrom}
          onTo={setTo}
          fromLabel={t("care.reports.from")}
          toLabel={t("care.reports.to")}
          testId="report"
        />
        <select
          data-testid="report-group"
          value={group}
          onChange={(e) => setGroup(e.target.value as ReportGroup)}
        >
          {REPORT_GROUPS.map((g) => (
            <option key={g} value={g}>
              {t(`care.reports.group.${g}`)}
            </option>
          ))}
        </select>
        <select
          data-testid="report-period"
          value={period}
          onChange={(e) => setPeriod(e.target.value as ReportPeriod)}
        >
          {REPORT_PERIODS.map((p) => (
            <option key={p} value={p}>
              {t(`care.reports.period.${p}`)}
            </option>
          ))}
        </select>
        <ExportButtons
          name="report"
          disabled={exportAs.busy}
          onExport={(format) => void exportAs.run(format)}
        />
      </div>
      {(report.error ?? exportAs.error) && <p className="error">{report.error ?? exportAs.error}</p>}
      {r && (
        <>
          <ReportChart series={r.series} />
          <div className="table-wrap">
            <table className="table" data-testid="report-table">
              <thead>
                <tr>
                  <th>{t(`care.reports.group.${r.group}`)}</th>
                  <th>{t("care.reports.alarms")}</th>
                  <th>{t("care.reports.falseAlarms")}</th>
                  <th>{t("care.reports.escalations")}</th>
                  <th>{t("care.reports.accept")}</th>
                  <th>{t("care.reports.scene")}</th>
                  <th>{t("care.reports.within60s")}</th>
                  <th>{t("care.reports.within15")}</th>
                  <th>{t("care.reports.within45")}</th>
                  <th>{t("care.reports.deviceProblems")}</th>
                  <th>{t("care.reports.serviceHours")}</th>
                </tr>
              </thead>
              <tbody>
                {r.rows.map((row) => (
                  <tr key={row.key}>
                    <td>{row.name}</td>
                    <Cells f={row.figures} />
                  </tr>
                ))}
                <tr className="care-total" data-testid="report-total">
                  <td>{t("care.reports.total")}</td>
                  <Cells f={r.total} />
                </tr>
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
