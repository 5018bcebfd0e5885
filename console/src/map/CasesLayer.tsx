// Residents with open cases: coloured by priority/status, pulsing until acknowledged.
import { memo, useEffect, useMemo, useRef } from "react";
import type { Marker as LeafletMarker } from "leaflet";
import { Circle, Marker, Tooltip } from "react-leaflet";
import { useTranslation } from "react-i18next";
import type { CaseSummary } from "../../../protocol/api.ts";
import { isUnackedEmergency } from "../lib/queue.ts";
import { store, useStore } from "../store.ts";
import { caseIcon } from "./icons.ts";

const CaseMarker = memo(function CaseMarker({ c, selected }: { c: CaseSummary; selected: boolean }) {
  const { t } = useTranslation();
  const alarm = isUnackedEmergency(c);
  const position = useMemo<[number, number]>(() => [c.lat, c.lng], [c.lat, c.lng]);
  const icon = caseIcon({ priority: c.priority, kind: c.kind, status: c.status, alarm, selected });
  const handlers = useMemo(() => ({ click: () => store.selectCase(c.id) }), [c.id]);
  // Leaflet owns the marker's element: label it for tests and tooling once it exists. The child
  // <Marker> has added itself to the map (and swapped its icon) before this effect runs.
  const ref = useRef<LeafletMarker>(null);
  useEffect(() => {
    const el = ref.current?.getElement();
    if (!el) return;
    el.dataset.testid = `case-marker-${c.id}`;
    el.dataset.status = c.status;
    el.dataset.alarm = alarm ? "on" : "off";
    el.dataset.away = c.location?.away ? "true" : "false";
  }, [c.id, c.status, alarm, icon, c.location?.away]);
  return (
    <>
      {/* A mobile device's fix: how sure it is, and that help goes there, not to the flat. */}
      {c.location && (
        <Circle
          center={position}
          radius={c.location.accuracyMeters}
          pathOptions={{ className: "case-accuracy", weight: 1, fillOpacity: 0.12 }}
        />
      )}
      <Marker
        ref={ref}
        position={position}
        icon={icon}
        eventHandlers={handlers}
        zIndexOffset={alarm ? 2000 : selected ? 1500 : 1000 - c.priority * 100}
        keyboard
      >
        <Tooltip direction="right">
          {t("map.caseMarker", {
            name: c.residentName,
            type: t(`caseType.${c.type}`),
            status: t(`caseStatus.${c.status}`),
          })}
          {c.location?.away && ` · ${t("location.away")}`}
        </Tooltip>
      </Marker>
    </>
  );
});

export function CasesLayer() {
  const cases = useStore((s) => s.cases);
  const selected = useStore((s) => s.selectedCaseId);
  return (
    <>
      {[...cases.values()].map((c) => (
        <CaseMarker key={c.id} c={c} selected={c.id === selected} />
      ))}
    </>
  );
}
