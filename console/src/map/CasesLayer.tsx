// Residents with open cases: coloured by priority/status, pulsing until acknowledged, clustered
// where they crowd (the cluster tag shows the most urgent inside); a mobile device's fix shows how
// sure it is, outside the clusters. Markers are out of the tab order: the queue is the keyboard's
// way to a case.
import { memo, useCallback, useEffect, useMemo, useRef } from "react";
import L, { type Marker as LeafletMarker } from "leaflet";
import { Circle, Marker, Tooltip } from "react-leaflet";
import MarkerClusterGroup from "react-leaflet-cluster";
import type {} from "leaflet.markercluster";
import { useTranslation } from "react-i18next";
import type { CaseSummary } from "../../../protocol/api.ts";
import { isUnackedEmergency } from "../lib/queue.ts";
import { store, useStore } from "../store.ts";
import { caseClusterIcon, caseIcon } from "./icons.ts";

// Cluster markers are Leaflet markers too; keep them out of the tab order like the rest.
L.MarkerCluster.mergeOptions({ keyboard: false });

const CaseMarker = memo(function CaseMarker({ c, selected }: { c: CaseSummary; selected: boolean }) {
  const { t } = useTranslation();
  const alarm = isUnackedEmergency(c);
  const position = useMemo<[number, number]>(() => [c.lat, c.lng], [c.lat, c.lng]);
  const icon = caseIcon({ priority: c.priority, kind: c.kind, status: c.status, alarm, selected });
  // Leaflet owns the marker's element, and makes a new one each time the cluster group puts the
  // marker back on the map: label it for tests and tooling whenever it (re)appears or changes.
  const ref = useRef<LeafletMarker>(null);
  const away = c.location?.away === true;
  const look = useRef({ id: c.id, status: c.status, alarm, away });
  look.current = { id: c.id, status: c.status, alarm, away };
  const label = useCallback((marker: LeafletMarker | null) => {
    const el = marker?.getElement();
    if (!el) return;
    el.dataset.testid = `case-marker-${look.current.id}`;
    el.dataset.status = look.current.status;
    el.dataset.alarm = look.current.alarm ? "on" : "off";
    el.dataset.away = look.current.away ? "true" : "false";
  }, []);
  const handlers = useMemo(
    () => ({
      click: () => store.selectCase(c.id),
      add: (e: L.LeafletEvent) => label(e.target as LeafletMarker),
    }),
    [c.id, label],
  );
  useEffect(() => {
    const marker = ref.current;
    if (!marker) return;
    // The cluster tag reads the priority of the markers inside.
    (marker.options as { priority?: number }).priority = c.priority;
    label(marker);
  }, [c.id, c.status, c.priority, alarm, away, icon, label]);
  return (
    <Marker
      ref={ref}
      position={position}
      icon={icon}
      eventHandlers={handlers}
      zIndexOffset={alarm ? 2000 : selected ? 1500 : 1000 - c.priority * 100}
      keyboard={false}
    >
      <Tooltip direction="right">
        {t("map.caseMarker", {
          name: c.residentName,
          type: t(`caseType.${c.type}`),
          status: t(`caseStatus.${c.status}`),
        })}
        {away && ` · ${t("location.away")}`}
      </Tooltip>
    </Marker>
  );
});

export function CasesLayer() {
  const { t } = useTranslation();
  const cases = useStore((s) => s.cases);
  const selected = useStore((s) => s.selectedCaseId);
  const icon = useCallback(
    (cluster: L.MarkerCluster) =>
      caseClusterIcon(cluster, (count, worst) =>
        t("map.clusterLabel", { count, priority: t(`priority.${worst as 1 | 2 | 3 | 4}`) }),
      ),
    [t],
  );
  return (
    <>
      {/* A mobile device's fix: how sure it is, and that help goes there, not to the flat. */}
      {[...cases.values()].map((c) =>
        c.location ? (
          <Circle
            key={c.id}
            center={[c.lat, c.lng]}
            radius={c.location.accuracyMeters}
            pathOptions={{ className: "case-accuracy", weight: 1, fillOpacity: 0.12 }}
          />
        ) : null,
      )}
      <MarkerClusterGroup
        showCoverageOnHover={false}
        maxClusterRadius={36}
        disableClusteringAtZoom={16}
        spiderfyOnMaxZoom={false}
        iconCreateFunction={icon}
      >
        {[...cases.values()].map((c) => (
          <CaseMarker key={c.id} c={c} selected={c.id === selected} />
        ))}
      </MarkerClusterGroup>
    </>
  );
}
