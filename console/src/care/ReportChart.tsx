// The report's chart: alarms per day, week or month, stacked by type, with chart.js (only the
// parts a bar chart needs, so the lazily loaded reports screen stays small).
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";
import type { Report } from "../../../protocol/api.ts";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const TYPES = ["sos", "fall", "medical", "welfare_check", "service_request"] as const;
const COLOURS: Record<(typeof TYPES)[number], string> = {
  sos: "#c0392b",
  fall: "#e67e22",
  medical: "#8e44ad",
  welfare_check: "#2980b9",
  service_request: "#27ae60",
};

export function ReportChart({ series }: { series: Report["series"] }) {
  const { t, i18n } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: "bar",
      data: {
        labels: series.map((s) => s.bucket),
        datasets: TYPES.map((type) => ({
          label: t(`caseType.${type}`),
          data: series.map((s) => s.figures.byType[type] ?? 0),
          backgroundColor: COLOURS[type],
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } },
      },
    });
    return () => chart.destroy();
  }, [series, t, i18n.language]);
  return (
    <div className="care-chart">
      <canvas ref={canvas} data-testid="report-chart" role="img" aria-label={t("care.reports.chartLabel")} />
    </div>
  );
}
