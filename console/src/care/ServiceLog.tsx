// The service log (民情日记): every call-out, home service, follow-up call and welfare check with
// its time (the platform's zone), place, people, content and hours; filtered, paged on the
// server, exported as CSV or XLSX in the UI language. The staff search screen and a resident's
// page (their own log only) are this one component.
import { useTranslation } from "react-i18next";
import { SERVICE_LOG_EXPORT_MAX } from "../../../protocol/api.ts";
import { useAsyncAction } from "../hooks/useAsync.ts";
import { currentLanguage } from "../i18n.ts";
import { saveFile } from "../lib/save-file.ts";
import { PagedTable } from "../registers/PagedTable.tsx";
import { useRegisterList } from "../registers/RegisterList.tsx";
import { careApi } from "./api.ts";
import { ExportButtons, type ExportFormat } from "./ExportButtons.tsx";
import { logQuery, NO_FILTERS, ServiceLogFilters } from "./ServiceLogFilters.tsx";
import { ServiceLogRow } from "./ServiceLogRow.tsx";
import "./care.css";

export function ServiceLog({ residentId }: { residentId?: number }) {
  const { t } = useTranslation();
  const oneResident = residentId !== undefined;
  const list = useRegisterList(NO_FILTERS, (q) =>
    careApi.serviceLog({ ...logQuery(q, residentId), page: String(q.page) }),
  );
  const exportAs = useAsyncAction(async (format: ExportFormat) => {
    const query = { ...logQuery(list.filters, residentId), lang: currentLanguage() };
    const { blob, filename } = await careApi.serviceLogFile(format, query);
    saveFile(blob, filename);
  });
  const tooMany = (list.data?.total ?? 0) > SERVICE_LOG_EXPORT_MAX;
  const Heading = oneResident ? "h3" : "h2";
  return (
    <section
      className={oneResident ? "reg-section" : "panel"}
      aria-labelledby="service-log-title"
      data-testid="service-log"
    >
      <div className="panel-head">
        <Heading id="service-log-title">{oneResident ? t("care.log.title") : t("care.log.search")}</Heading>
        {list.loading && <span className="muted">{t("common.loading")}</span>}
        <ExportButtons
          name="log"
          disabled={tooMany || exportAs.busy}
          onExport={(format) => void exportAs.run(format)}
        />
      </div>
      {!oneResident && <p className="muted">{t("care.log.intro")}</p>}
      <ServiceLogFilters list={list} oneResident={oneResident} />
      {tooMany && (
        <p className="muted" data-testid="log-too-many">
          {t("care.log.tooMany", { max: SERVICE_LOG_EXPORT_MAX })}
        </p>
      )}
      {exportAs.error && (
        <p className="form-error" role="alert">
          {exportAs.error}
        </p>
      )}
      <PagedTable
        data={list.data}
        error={list.error}
        testId="log-table"
        onPage={list.setPage}
        head={
          <>
            <th>{t("care.log.column.at")}</th>
            <th>{t("care.log.column.kind")}</th>
            <th>{t("care.log.column.resident")}</th>
            <th>{t("care.log.column.place")}</th>
            <th>{t("care.log.column.responder")}</th>
            <th>{t("care.log.column.content")}</th>
            <th className="num">{t("care.log.column.hours")}</th>
          </>
        }
        row={(e) => <ServiceLogRow key={e.id} e={e} />}
      />
    </section>
  );
}

export default function ServiceLogPage() {
  return <ServiceLog />;
}
