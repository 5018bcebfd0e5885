// What every register list has in common: its filters (a search box and choice lists, each
// change back to page 1), the server page they load, the switch between the list and one
// record (or a new one), and a reload of the list when people come back to it.
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { RECORD_STATUSES, type Page, type RecordStatus } from "../../../protocol/api.ts";
import { useLoad } from "../hooks/useLoad.ts";
import { useCommunities } from "./useCommunities.ts";
import { useDebounced } from "./useDebounced.ts";

export type RegisterView = { kind: "list" } | { kind: "new" } | { kind: "record"; id: number };

export interface RegisterList<F, T> {
  view: RegisterView;
  open: (id: number) => void;
  create: () => void;
  /** Back to the list, which loads again (the record may have changed). */
  back: () => void;
  q: string;
  setQ: (q: string) => void;
  filters: F;
  setFilter: <K extends keyof F>(key: K, value: F[K]) => void;
  setPage: (page: number) => void;
  data: Page<T> | null;
  error: string | null;
  loading: boolean;
}

/** `load` gets the settled search term, the filters and the page. */
export function useRegisterList<F extends object, T>(
  initial: F,
  load: (query: F & { q: string; page: number }) => Promise<Page<T>>,
): RegisterList<F, T> {
  const [view, setView] = useState<RegisterView>({ kind: "list" });
  const [q, setQ] = useState("");
  const [filters, setFilters] = useState<F>(initial);
  const [page, setPage] = useState(1);
  const [reload, setReload] = useState(0);
  const term = useDebounced(q.trim());
  const { data, error, loading } = useLoad(
    () => load({ ...filters, q: term, page }),
    [term, filters, page, reload],
  );
  return {
    view,
    open: (id) => setView({ kind: "record", id }),
    create: () => setView({ kind: "new" }),
    back: () => {
      setView({ kind: "list" });
      setReload((n) => n + 1);
    },
    q,
    setQ: (next) => {
      setQ(next);
      setPage(1);
    },
    filters,
    setFilter: (key, value) => {
      setFilters((f) => ({ ...f, [key]: value }));
      setPage(1);
    },
    setPage,
    data,
    error,
    loading,
  };
}

/** The list's head: title, search box, filters, the "new" button and the loading hint. */
export function RegisterListHead(props: {
  /** Test ids `<name>-search` and `<name>-new`. */
  name: string;
  title: string;
  placeholder: string;
  list: Pick<RegisterList<object, unknown>, "q" | "setQ" | "create" | "loading">;
  /** The "new" button's label; none for those who may not create. */
  create: string | null;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const { name, list } = props;
  return (
    <div className="panel-head">
      <h2 id={`${name}-list-title`}>{props.title}</h2>
      <input
        type="search"
        className="reg-search"
        data-testid={`${name}-search`}
        placeholder={props.placeholder}
        aria-label={t("registers.list.search")}
        value={list.q}
        onChange={(e) => list.setQ(e.target.value)}
      />
      {props.children}
      {props.create !== null && (
        <button type="button" className="btn btn-primary" data-testid={`${name}-new`} onClick={list.create}>
          {props.create}
        </button>
      )}
      {list.loading && <span className="muted">{t("common.loading")}</span>}
    </div>
  );
}

/** A choice list of a filter; with `all`, an empty first choice meaning "any". */
export function ChoiceFilter<V extends string>(props: {
  label: string;
  value: V | "";
  choices: readonly V[];
  text: (v: V) => string;
  all?: string;
  onChange: (v: V | "") => void;
}) {
  return (
    <select
      aria-label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value as V)}
    >
      {props.all !== undefined && <option value="">{props.all}</option>}
      {props.choices.map((v) => (
        <option key={v} value={v}>
          {props.text(v)}
        </option>
      ))}
    </select>
  );
}

type Filtered<F> = Pick<RegisterList<F, unknown>, "filters" | "setFilter">;

/** The communities in the user's scope, or all of them. */
export function CommunityFilter(props: { label: string; list: Filtered<{ communityId: string }> }) {
  const { t } = useTranslation();
  const communities = useCommunities();
  const { filters, setFilter } = props.list;
  return (
    <select
      aria-label={props.label}
      value={filters.communityId}
      onChange={(e) => setFilter("communityId", e.target.value)}
    >
      <option value="">{t("registers.list.allCommunities")}</option>
      {communities?.communities.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </select>
  );
}

/** Active, retired or all records. */
export function StatusFilter(props: { list: Filtered<{ status: RecordStatus }> }) {
  const { t } = useTranslation();
  const { filters, setFilter } = props.list;
  return (
    <ChoiceFilter
      label={t("registers.list.status")}
      value={filters.status}
      choices={RECORD_STATUSES}
      text={(s) => t(`registers.list.${s}`)}
      onChange={(v) => setFilter("status", v || "active")}
    />
  );
}
