// The team register: caregivers, volunteers, grid workers and doctors, searchable and paged; a
// responder's page; enrolment with the phone login that goes with them.
import { useTranslation } from "react-i18next";
import type { RecordStatus } from "../../../../protocol/api.ts";
import { RESPONDER_ROLES, type ResponderRole } from "../../../../protocol/domain.ts";
import { useCan } from "../can.ts";
import { OpenButton, PagedTable } from "../PagedTable.tsx";
import { registers } from "../api.ts";
import {
  ChoiceFilter,
  CommunityFilter,
  RegisterListHead,
  StatusFilter,
  useRegisterList,
} from "../RegisterList.tsx";
import { ResponderEditor } from "./ResponderEditor.tsx";
import "../registers.css";

const FILTERS: { communityId: string; role: ResponderRole | ""; status: RecordStatus } = {
  communityId: "",
  role: "",
  status: "active",
};

export default function TeamPage() {
  const { t } = useTranslation();
  const may = useCan();
  const list = useRegisterList(FILTERS, registers.responders);
  const { view, filters, setFilter } = list;
  if (view.kind !== "list")
    return (
      <ResponderEditor id={view.kind === "record" ? view.id : null} onOpen={list.open} onBack={list.back} />
    );

  return (
    <section className="panel reg-page" aria-labelledby="responder-list-title" data-testid="team-page">
      <RegisterListHead
        name="responder"
        title={t("registers.responder.title")}
        placeholder={t("registers.list.searchResponders")}
        list={list}
        create={may("responder.manage") ? t("registers.responder.new") : null}
      >
        <CommunityFilter label={t("registers.responder.community")} list={list} />
        <ChoiceFilter
          label={t("registers.responder.role")}
          value={filters.role}
          choices={RESPONDER_ROLES}
          text={(r) => t(`responderRole.${r}`)}
          all={t("registers.list.allRoles")}
          onChange={(v) => setFilter("role", v)}
        />
        <StatusFilter list={list} />
      </RegisterListHead>
      <PagedTable
        data={list.data}
        error={list.error}
        testId="responder-table"
        onPage={list.setPage}
        head={
          <>
            <th>{t("registers.responder.name")}</th>
            <th>{t("registers.responder.role")}</th>
            <th>{t("registers.responder.phone")}</th>
            <th>{t("registers.responder.community")}</th>
            <th className="num">{t("registers.responder.volunteerHours")}</th>
            <th>{t("registers.responder.account")}</th>
            <th>{t("registers.responder.pairedResidents")}</th>
            <th />
          </>
        }
        row={(r) => (
          <tr key={r.id} data-testid={`responder-row-${r.id}`} className={r.retiredAt ? "reg-retired" : ""}>
            <td>{r.name}</td>
            <td>{t(`responderRole.${r.role}`)}</td>
            <td className="mono">{r.phone}</td>
            <td>{r.communityName}</td>
            <td className="num">{r.volunteerHours}</td>
            <td className="mono">{r.account?.username ?? t("registers.responder.noAccount")}</td>
            <td className="num">{r.pairedResidents.length}</td>
            <td>
              <OpenButton testId={`responder-open-${r.id}`} onOpen={() => list.open(r.id)} />
            </td>
          </tr>
        )}
      />
    </section>
  );
}
