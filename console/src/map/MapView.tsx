// The live map: tiles (configurable, optional), community names and grid outlines from the
// database, cases (clustered), responders and assignment lines, a scale and a "fit" button.
// It opens fitted to the open cases (or to the communities when there are none), so a deployment
// anywhere opens on its own city; without a reachable tile server it still orients.
import "leaflet/dist/leaflet.css";
import "react-leaflet-cluster/dist/assets/MarkerCluster.css";
import "react-leaflet-cluster/dist/assets/MarkerCluster.Default.css";
import { useCallback, useEffect, useRef } from "react";
import L from "leaflet";
import { MapContainer, ScaleControl, TileLayer, useMap } from "react-leaflet";
import { useTranslation } from "react-i18next";
import type { MapAreas } from "../../../protocol/api.ts";
import { api } from "../api.ts";
import { useLoad } from "../hooks/useLoad.ts";
import { store, useStore } from "../store.ts";
import { AreasLayer } from "./AreasLayer.tsx";
import { CasesLayer } from "./CasesLayer.tsx";
import { LinesLayer } from "./LinesLayer.tsx";
import { RespondersLayer } from "./RespondersLayer.tsx";
import { Legend } from "./Legend.tsx";
import { TILE_ATTRIBUTION, TILE_URL, TILES_ENABLED } from "./tiles.ts";

const MAX_FIT_ZOOM = 16;

/** What "fit" means now: the open cases, or the communities when there are none. */
function fitBounds(areas: MapAreas | null): L.LatLngBounds | null {
  const cases = [...store.get().cases.values()];
  const points: [number, number][] =
    cases.length > 0
      ? cases.map((c) => [c.lat, c.lng])
      : (areas?.communities.flatMap((c) => [
          [c.lat, c.lng] as [number, number],
          ...c.grids.flatMap((g) => g.outline ?? []),
        ]) ?? []);
  return points.length > 0 ? L.latLngBounds(points) : null;
}

/** Fits once when the first data is there; the button fits again on demand. */
function Fitter({ areas, fitRef }: { areas: MapAreas | null; fitRef: { current: () => void } }) {
  const map = useMap();
  const snapshotAt = useStore((s) => s.snapshotAt);
  const fitted = useRef(false);
  const fit = useCallback(() => {
    const b = fitBounds(areas);
    if (b) map.fitBounds(b.pad(0.15), { maxZoom: MAX_FIT_ZOOM, animate: false });
  }, [map, areas]);
  fitRef.current = fit;
  useEffect(() => {
    if (fitted.current || areas === null || snapshotAt === null) return;
    fitted.current = true;
    fit();
  }, [areas, snapshotAt, fit]);
  return null;
}

/** The drawer narrows the map: tell Leaflet, and keep the selected case in view. */
function FollowSelection() {
  const map = useMap();
  const selected = useStore((s) => (s.selectedCaseId === null ? undefined : s.cases.get(s.selectedCaseId)));
  const lat = selected?.lat;
  const lng = selected?.lng;
  const target = useRef<[number, number] | null>(null);
  target.current = lat === undefined || lng === undefined ? null : [lat, lng];
  const reveal = useCallback(() => {
    const t = target.current;
    if (t && !map.getBounds().pad(-0.1).contains(t)) map.panTo(t, { animate: false });
  }, [map]);
  useEffect(() => {
    const el = map.getContainer();
    const observer = new ResizeObserver(() => {
      map.invalidateSize({ animate: false });
      reveal();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [map, reveal]);
  useEffect(() => reveal(), [lat, lng, reveal]);
  return null;
}

export default function MapView() {
  const { t } = useTranslation();
  const { data: areas } = useLoad(() => api.mapAreas(), []);
  const fitRef = useRef<() => void>(() => undefined);
  return (
    <div className="map-wrap" data-testid="map" role="region" aria-label={t("map.label")}>
      {/* The centre only matters until the first fit; the data decides where the map opens. */}
      <MapContainer center={[0, 0]} zoom={2} className="map" preferCanvas={false} zoomControl>
        {TILES_ENABLED && <TileLayer url={TILE_URL} attribution={TILE_ATTRIBUTION} maxZoom={19} />}
        {areas && <AreasLayer areas={areas} />}
        <RespondersLayer />
        <LinesLayer />
        <CasesLayer />
        <ScaleControl position="bottomright" imperial={false} />
        <Fitter areas={areas} fitRef={fitRef} />
        <FollowSelection />
      </MapContainer>
      <button
        type="button"
        className="btn btn-secondary map-fit"
        data-testid="map-fit"
        title={t("map.fitLabel")}
        onClick={() => fitRef.current()}
      >
        {t("map.fit")}
      </button>
      <Legend />
    </div>
  );
}
