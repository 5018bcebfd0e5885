// Responders on duty by activity. Idle ones are clustered (thousands stay fast); busy ones stay
// outside the clusters so every responder on a job is always visible. Off duty: hidden.
import { memo, useMemo, useState } from "react";
import { Marker, Popup } from "react-leaflet";
import MarkerClusterGroup from "react-leaflet-cluster";
// Brings the L.MarkerClusterGroupOptions typings react-leaflet-cluster refers to.
import type {} from "leaflet.markercluster";
import { useTranslation } from "react-i18next";
import type { ResponderSummary } from "../../../protocol/api.ts";
import { useStore } from "../store.ts";
import { clusterIcon, responderIcon } from "./icons.ts";

type Located = ResponderSummary & { lat: number; lng: number };

const ResponderMarker = memo(function ResponderMarker({
  r,
  onSelect,
}: {
  r: Located;
  onSelect: (id: number) => void;
}) {
  const position = useMemo<[number, number]>(() => [r.lat, r.lng], [r.lat, r.lng]);
  const handlers = useMemo(() => ({ click: () => onSelect(r.id) }), [r.id, onSelect]);
  return (
    <Marker
      position={position}
      icon={responderIcon(r.activity)}
      eventHandlers={handlers}
      keyboard={false}
      title={r.name}
    />
  );
});

function ResponderPopup({ r }: { r: Located }) {
  const { t } = useTranslation();
  return (
    <Popup position={[r.lat, r.lng]} offset={[0, -6]}>
      <div className="responder-popup" data-testid={`responder-popup-${r.id}`}>
        <strong>{r.name}</strong>
        <div>
          {t(`responderRole.${r.role}`)} · {t(`transport.${r.transport}`)}
        </div>
        <div>{t(`activity.${r.activity}`)}</div>
        {r.caseId !== null && <div>#{r.caseId}</div>}
      </div>
    </Popup>
  );
}

export function RespondersLayer() {
  const responders = useStore((s) => s.responders);
  const [selected, setSelected] = useState<number | null>(null);
  const { idle, busy } = useMemo(() => {
    const idle: Located[] = [];
    const busy: Located[] = [];
    for (const r of responders.values()) {
      if (!r.onDuty || r.activity === "off_duty" || r.lat === null || r.lng === null) continue;
      (r.activity === "idle" ? idle : busy).push(r as Located);
    }
    return { idle, busy };
  }, [responders]);
  const current = selected === null ? undefined : responders.get(selected);

  return (
    <>
      <MarkerClusterGroup
        chunkedLoading
        showCoverageOnHover={false}
        maxClusterRadius={50}
        disableClusteringAtZoom={17}
        iconCreateFunction={clusterIcon}
      >
        {idle.map((r) => (
          <ResponderMarker key={r.id} r={r} onSelect={setSelected} />
        ))}
      </MarkerClusterGroup>
      {busy.map((r) => (
        <ResponderMarker key={r.id} r={r} onSelect={setSelected} />
      ))}
      {current && current.lat !== null && current.lng !== null && current.onDuty && (
        <ResponderPopup r={current as Located} />
      )}
    </>
  );
}
