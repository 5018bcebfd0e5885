// The live map: tiles (configurable, optional), cases, responders and assignment lines.
// Without a reachable tile server the markers still show on a plain background.
import "leaflet/dist/leaflet.css";
import "react-leaflet-cluster/dist/assets/MarkerCluster.css";
import "react-leaflet-cluster/dist/assets/MarkerCluster.Default.css";
import { useEffect } from "react";
import { MapContainer, TileLayer, useMap } from "react-leaflet";
import { useTranslation } from "react-i18next";
import { useStore } from "../store.ts";
import { CasesLayer } from "./CasesLayer.tsx";
import { LinesLayer } from "./LinesLayer.tsx";
import { RespondersLayer } from "./RespondersLayer.tsx";
import { Legend } from "./Legend.tsx";
import { TILE_ATTRIBUTION, TILE_URL, TILES_ENABLED } from "./tiles.ts";

/** Baoji (宝鸡), the demo city. */
const CENTER: [number, number] = [34.36, 107.2];
const ZOOM = 13;

/** Brings the selected case into view when it was picked in the queue. */
function FollowSelection() {
  const map = useMap();
  const selected = useStore((s) => (s.selectedCaseId === null ? undefined : s.cases.get(s.selectedCaseId)));
  const lat = selected?.lat;
  const lng = selected?.lng;
  useEffect(() => {
    if (lat === undefined || lng === undefined) return;
    const target: [number, number] = [lat, lng];
    if (!map.getBounds().pad(-0.1).contains(target)) map.panTo(target);
  }, [map, lat, lng]);
  return null;
}

export default function MapView() {
  const { t } = useTranslation();
  return (
    <div className="map-wrap" data-testid="map" role="region" aria-label={t("map.label")}>
      <MapContainer center={CENTER} zoom={ZOOM} className="map" preferCanvas={false} zoomControl>
        {TILES_ENABLED && <TileLayer url={TILE_URL} attribution={TILE_ATTRIBUTION} maxZoom={19} />}
        <RespondersLayer />
        <LinesLayer />
        <CasesLayer />
        <FollowSelection />
      </MapContainer>
      <Legend />
    </div>
  );
}
