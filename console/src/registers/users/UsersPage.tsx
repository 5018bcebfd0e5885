// Staff accounts (admins only): search, create, change role and communities, disable, reset a
// password. A change of rights ends the user's sessions: they log in again with the new ones.
import { useTranslation } from "react-i18next";
import { USER_ROLES, type UserRole } from "../../../../protocol/domain.ts";
import { OpenButton, PagedTable } from "../PagedTable.tsx";
import { registers } from "../api.ts";
import { ChoiceFilter, RegisterListHead, useRegisterList } from "../RegisterList.tsx";
import { useCommunities } from "../useCommunities.ts";
import { UserEditor } from "./UserEditor.tsx";
import "../registers.css";

const FILTERS: { role: UserRole | "" } = { role: "" };

export default function UsersPage() {
  const { t } = useTranslation();
  const communities = useCommunities();
  const list = useRegisterList(FILTERS, registers.users);
  const { view, filters, setFilter } = list;
  if (view.kind !== "list")
    return <UserEditor id={view.kind === "record" ? view.id : null} onOpen={list.open} onBack={list.back} />;
  const communityNames = (ids: number[] | null) =>
    ids === null
      ? t("registers.user.allCommunities")
      : ids
          .map((id) => communities?.communities.find((c) => c.id === id)?.name ?? `#${id}`)
          .join(t("common.listSeparator"));

  return (
    <section className="panel reg-page" aria-labelledby="user-list-title" data-testid="users-page">
      <RegisterListHead
        name="user"
        title={t("registers.user.title")}
        placeholder={t("registers.list.searchUsers")}
        list={list}
        create={t("registers.user.new")}
      >
        <ChoiceFilter
          label={t("registers.user.role")}
          value={filters.role}
          choices={USER_ROLES}
          text={(r) => t(`roles.${r}`)}
          all={t("registers.list.allRoles")}
          onChange={(v) => setFilter("role", v)}
        />
      </RegisterListHead>
      <PagedTable
        data={list.data}
        error={list.error}
        testId="user-table"
        onPage={list.setPage}
        head={
          <>
            <th>{t("registers.user.username")}</th>
            <th>{t("registers.user.displayName")}</th>
            <th>{t("registers.user.role")}</th>
            <th>{t("registers.user.communities")}</th>
            <th>{t("registers.list.status")}</th>
            <th />
          </>
        }
        row={(u) => (
          <tr key={u.id} data-testid={`user-row-${u.username}`} className={u.disabled ? "reg-retired" : ""}>
            <td className="mono">{u.username}</td>
            <td>{u.displayName}</td>
            <td>{t(`roles.${u.role}`)}</td>
            <td>{u.role === "responder" ? "—" : communityNames(u.communityIds)}</td>
            <td>{u.disabled ? t("registers.user.disabled") : t("registers.user.enabled")}</td>
            <td>
              <OpenButton testId={`user-open-${u.username}`} onOpen={() => list.open(u.id)} />
            </td>
          </tr>
        )}
      />
    </section>
  );
}
