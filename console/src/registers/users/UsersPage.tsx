// Staff accounts (admins only): search, create, change role and communities, disable, reset a
// password. A change of rights ends the user's sessions: they log in again with the new ones.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { USER_ROLES, type UserRole } from "../../../../protocol/domain.ts";
import { useLoad } from "../../hooks/useLoad.ts";
import { OpenButton, PagedTable } from "../PagedTable.tsx";
import { registers } from "../api.ts";
import { useCommunities } from "../useCommunities.ts";
import { useDebounced } from "../useDebounced.ts";
import { UserEditor } from "./UserEditor.tsx";
import "../registers.css";

type View = { kind: "list" } | { kind: "new" } | { kind: "record"; id: number };

export default function UsersPage() {
  const { t } = useTranslation();
  const communities = useCommunities();
  const [view, setView] = useState<View>({ kind: "list" });
  const [q, setQ] = useState("");
  const [role, setRole] = useState<UserRole | "">("");
  const [page, setPage] = useState(1);
  const [reload, setReload] = useState(0);
  const term = useDebounced(q.trim());
  const { data, error, loading } = useLoad(
    () => registers.users({ q: term, role, page }),
    [term, role, page, reload],
  );
  if (view.kind !== "list")
    return (
      <UserEditor
        id={view.kind === "record" ? view.id : null}
        onOpen={(id) => setView({ kind: "record", id })}
        onBack={() => {
          setView({ kind: "list" });
          setReload((n) => n + 1);
        }}
      />
    );
  const communityNames = (ids: number[] | null) =>
    ids === null
      ? t("registers.user.allCommunities")
      : ids
          .map((id) => communities?.communities.find((c) => c.id === id)?.name ?? `#${id}`)
          .join(t("common.listSeparator"));

  return (
    <section className="panel reg-page" aria-labelledby="users-title" data-testid="users-page">
      <div className="panel-head">
        <h2 id="users-title">{t("registers.user.title")}</h2>
        <input
          type="search"
          className="reg-search"
          data-testid="user-search"
          placeholder={t("registers.list.searchUsers")}
          aria-label={t("registers.list.search")}
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setPage(1);
          }}
        />
        <select
          aria-label={t("registers.user.role")}
          value={role}
          onChange={(e) => {
            setRole(e.target.value as UserRole | "");
            setPage(1);
          }}
        >
          <option value="">{t("registers.list.allRoles")}</option>
          {USER_ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="user-new"
          onClick={() => setView({ kind: "new" })}
        >
          {t("registers.user.new")}
        </button>
        {loading && <span className="muted">{t("common.loading")}</span>}
      </div>
      <PagedTable
        data={data}
        error={error}
        testId="user-table"
        onPage={setPage}
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
              <OpenButton
                testId={`user-open-${u.username}`}
                onOpen={() => setView({ kind: "record", id: u.id })}
              />
            </td>
          </tr>
        )}
      />
    </section>
  );
}
