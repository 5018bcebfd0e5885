// Bulk import of residents with their devices from a community's sheet (CSV or Excel): the
// template, a check that lists every row's problems in the UI language, then the import, which
// writes all rows or none and hands over the new devices' secrets once, as a sheet.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { IMPORT_COLUMNS, type ImportIssue, type ImportReport } from "../../../../protocol/api.ts";
import { errorText } from "../../i18n.ts";
import { saveFile } from "../../lib/save-file.ts";
import { registers } from "../api.ts";
import "../registers.css";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The installer's sheet comes inside the JSON answer, base64-encoded. */
function fromBase64(b64: string, type: string): Blob {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type });
}

export default function ImportPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === "en" ? "en" : "zh-CN";
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [busy, setBusy] = useState<"dry-run" | "commit" | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const run = (mode: "dry-run" | "commit") => {
    if (!file) return;
    setBusy(mode);
    setFailure(null);
    registers.importSheet(file, mode, lang).then(
      (r) => {
        setBusy(null);
        setReport(r);
      },
      (err: unknown) => {
        setBusy(null);
        setFailure(errorText(err));
      },
    );
  };
  const template = (format: "xlsx" | "csv") =>
    void registers.importTemplate(format, lang).then(
      ({ blob, filename }) => saveFile(blob, filename),
      (err: unknown) => setFailure(errorText(err)),
    );
  const checked = report?.mode === "dry-run" && report.errors.length === 0;
  const imported = report?.imported ?? null;

  return (
    <section className="panel reg-page" aria-labelledby="import-title" data-testid="import-page">
      <div className="panel-head">
        <h2 id="import-title">{t("registers.import.title")}</h2>
        <button
          type="button"
          className="btn btn-ghost"
          data-testid="import-template"
          onClick={() => template("xlsx")}
        >
          {t("registers.import.template")}
        </button>
        <button type="button" className="btn btn-ghost" onClick={() => template("csv")}>
          {t("registers.import.templateCsv")}
        </button>
      </div>
      <p className="muted">{t("registers.import.intro")}</p>
      <div className="action-row">
        <label className="btn btn-secondary">
          {t("registers.import.file")}
          <input
            type="file"
            className="sr-only"
            data-testid="import-file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setReport(null);
            }}
          />
        </label>
        {file && <span className="mono">{file.name}</span>}
        <button
          type="button"
          className="btn btn-secondary"
          data-testid="import-dry-run"
          disabled={!file || busy !== null}
          onClick={() => run("dry-run")}
        >
          {busy === "dry-run" ? t("registers.import.checking") : t("registers.import.dryRun")}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="import-commit"
          disabled={!checked || busy !== null}
          onClick={() => run("commit")}
        >
          {busy === "commit" ? t("registers.import.importing") : t("registers.import.commit")}
        </button>
      </div>
      {failure && (
        <p className="form-error" role="alert">
          {failure}
        </p>
      )}
      {report && (
        <div data-testid="import-report" data-errors={report.errors.length}>
          <p>{t("registers.import.summary", { rows: report.rows, valid: report.valid })}</p>
          {checked && <p className="ok-text">{t("registers.import.ok")}</p>}
          {report.errors.length > 0 && (
            <Issues
              title={t("registers.import.errors", { count: report.errors.length })}
              issues={report.errors}
              testId="import-errors"
            />
          )}
          {report.warnings.length > 0 && (
            <Issues
              title={t("registers.import.warnings", { count: report.warnings.length })}
              issues={report.warnings}
              testId="import-warnings"
            />
          )}
          {imported && (
            <div className="secret-box" data-testid="import-done">
              <p className="ok-text">
                {t("registers.import.imported", {
                  residents: imported.residents,
                  devices: imported.devices.length,
                })}
              </p>
              {imported.devices.length > 0 && (
                <>
                  <p className="warn-text">{t("registers.import.secrets")}</p>
                  <button
                    type="button"
                    className="btn btn-primary"
                    data-testid="import-installer-sheet"
                    onClick={() =>
                      saveFile(
                        fromBase64(imported.installerSheet, XLSX_TYPE),
                        lang === "en" ? "installer-sheet.xlsx" : "安装单.xlsx",
                      )
                    }
                  >
                    {t("registers.import.downloadSheet")}
                  </button>
                </>
              )}
            </div>
          )}
        </div>
      )}
    </section>
  );
}

function Issues({ title, issues, testId }: { title: string; issues: ImportIssue[]; testId: string }) {
  const { t, i18n } = useTranslation();
  const header = (key: ImportIssue["column"]) => {
    const c = IMPORT_COLUMNS.find((col) => col.key === key);
    return c ? (i18n.language === "en" ? c.en : c.zh) : "";
  };
  return (
    <>
      <h3>{title}</h3>
      <div className="table-wrap">
        <table className="table" data-testid={testId}>
          <thead>
            <tr>
              <th className="num">{t("registers.import.row")}</th>
              <th>{t("registers.import.column")}</th>
              <th>{t("registers.import.problem")}</th>
              <th>{t("registers.import.value")}</th>
            </tr>
          </thead>
          <tbody>
            {issues.map((i, n) => (
              <tr key={n} data-row={i.row}>
                <td className="num">{i.row === 0 ? t("registers.import.sheet") : i.row}</td>
                <td>{header(i.column)}</td>
                <td>{t(`registers.import.issue.${i.code}`, { ...i.details })}</td>
                <td className="mono">{typeof i.details?.value === "string" ? i.details.value : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
