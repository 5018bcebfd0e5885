// The service log's filters: resident, responder, community and grid, kind, and the days (on the
// platform's calendar). Each change goes back to the first page.
import { useTranslation } from "react-i18next";
import { SERVICE_LOG_KINDS, type ServiceLogKind } from "../../../protocol/api.ts";
import { ChoiceFilter, CommunityFilter, type RegisterList } from "../registers/RegisterList.tsx";
import { registers } from "../registers/api.ts";
import { useCommunities } from "../registers/useCommunities.ts";
import { SearchPick, type Pickable } from "./SearchPick.tsx";
import { DateRange } from "../shell/DateRange.tsx";

export interface LogFilters {
  resident: Pickable | null;
  responder: Pickable | null;
  communityId: string;
  gridId: string;
  kind: ServiceLogKind | "";
  from: string;
  to: string;
}

export const NO_FILTERS: LogFilters = {
  resident: null,
  responder: null,
  communityId: "",
  gridId: "",
  kind: "",
  from: "",
  to: "",
};

/** The filters as the API's query (residentId, responderId, …); an empty one means "any". */
export function logQuery(f: LogFilters, fixedResidentId?: number): Record<string, string | undefined> {
  const residentId = fixedResidentId ?? f.resident?.id;
  return {
    residentId: residentId === undefined ? undefined : String(residentId),
    responderId: f.responder ? String(f.responder.id) : undefined,
    communityId: f.communityId,
    gridId: f.gridId,
    kind: f.kind,
    from: f.from,
    to: f.to,
  };
}

const PICKS = 8;

export function ServiceLogFilters(props: {
  list: Pick<RegisterList<LogFilters, unknown>, "filters" | "setFilter">;
  /** On a resident's page: only their log, so no resident and no place to choose. */
  oneResident: boolean;
}) {
  const { t } = useTranslation();
  const communities = useCommunities();
  const { filters, setFilter } = props.list;
  const grids = communities?.communities.find((c) => String(c.id) === filters.communityId)?.grids ?? [];
  return (
    <div className="care-filters" data-testid="service-log-filters">
      {!props.oneResident && (
        <SearchPick
          testId="log-resident"
          label={t("care.log.resident")}
          placeholder={t("care.log.anyResident")}
          picked={filters.resident}
          onPick={(p) => setFilter("resident", p)}
          search={async (q) =>
            (await registers.residents({ q, status: "all", pageSize: PICKS })).items.map((r) => ({
              id: r.id,
              name: r.name,
              detail: `${r.communityName} · ${r.address}`,
            }))
          }
        />
      )}
      <SearchPick
        testId="log-responder"
        label={t("care.log.responder")}
        placeholder={t("care.log.pickResponder")}
        picked={filters.responder}
        onPick={(p) => setFilter("responder", p)}
        search={async (q) =>
          (await registers.responders({ q, status: "all", pageSize: PICKS })).items.map((r) => ({
            id: r.id,
            name: r.name,
            detail: `${t(`responderRole.${r.role}`)} · ${r.communityName}`,
          }))
        }
      />
      {!props.oneResident && (
        <>
          <CommunityFilter
            label={t("care.log.column.community")}
            list={{
              filters,
              setFilter: (key, value) => {
                setFilter(key, value);
                setFilter("gridId", "");
              },
            }}
          />
          <select
            aria-label={t("care.log.column.grid")}
            data-testid="log-grid"
            value={filters.gridId}
            disabled={grids.length === 0}
            onChange={(e) => setFilter("gridId", e.target.value)}
          >
            <option value="">{t("care.log.allGrids")}</option>
            {grids.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </>
      )}
      <ChoiceFilter
        label={t("care.log.column.kind")}
        value={filters.kind}
        choices={SERVICE_LOG_KINDS}
        text={(k) => t(`care.log.kind.${k}`)}
        all={t("care.log.allKinds")}
        onChange={(v) => setFilter("kind", v)}
      />
      <DateRange
        from={filters.from}
        to={filters.to}
        onFrom={(v) => setFilter("from", v)}
        onTo={(v) => setFilter("to", v)}
        fromLabel={t("care.log.from")}
        toLabel={t("care.log.to")}
        testId="log"
      />
    </div>
  );
}
