// The resident register: a searchable, server-paged table (name, phone, address, device id or a
// contact's phone), a resident's page, and enrolment for those who may enrol.
import { useTranslation } from "react-i18next";
import type { RecordStatus } from "../../../../protocol/api.ts";
import { useCan } from "../can.ts";
import { OpenButton, PagedTable } from "../PagedTable.tsx";
import { registers } from "../api.ts";
import { CommunityFilter, RegisterListHead, StatusFilter, useRegisterList } from "../RegisterList.tsx";
import { ResidentForm } from "./ResidentForm.tsx";
import { ResidentView } from "./ResidentView.tsx";
import "../registers.css";

const FILTERS: { communityId: string; status: RecordStatus } = { communityId: "", status: "active" };

export default function ResidentsPage() {
  const { t } = useTranslation();
  const may = useCan();
  const list = useRegisterList(FILTERS, registers.residents);
  const { view } = list;

  if (view.kind === "new") return <ResidentForm onSaved={(r) => list.open(r.id)} onCancel={list.back} />;
  if (view.kind === "record") return <ResidentView id={view.id} onBack={list.back} />;

  return (
    <section className="panel reg-page" aria-labelledby="resident-list-title" data-testid="residents-page">
      <RegisterListHead
        name="resident"
        title={t("registers.resident.title")}
        placeholder={t("registers.list.searchResidents")}
        list={list}
        create={may("resident.enrol") ? t("registers.resident.new") : null}
      >
        <CommunityFilter label={t("registers.resident.community")} list={list} />
        <StatusFilter list={list} />
      </RegisterListHead>
      <PagedTable
        data={list.data}
        error={list.error}
        testId="resident-table"
        onPage={list.setPage}
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
              <OpenButton testId={`resident-open-${r.id}`} onOpen={() => list.open(r.id)} />
            </td>
          </tr>
        )}
      />
    </section>
  );
}
