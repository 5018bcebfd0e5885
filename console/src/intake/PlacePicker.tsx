// A small map to pick where a caller not in the register is. Community centres are drawn with
// their names, so the map orients without a tile server (isolated community centres).
import "leaflet/dist/leaflet.css";
import { CircleMarker, MapContainer, TileLayer, Tooltip, useMapEvents } from "react-leaflet";
import { useTranslation } from "react-i18next";
import type { CommunityDto } from "../../../protocol/api.ts";
import { TILE_ATTRIBUTION, TILE_URL, TILES_ENABLED } from "../map/tiles.ts";

export interface Point {
  lat: number;
  lng: number;
}

function ClickToPick({ onPick }: { onPick: (p: Point) => void }) {
  useMapEvents({ click: (e) => onPick({ lat: e.latlng.lat, lng: e.latlng.lng }) });
  return null;
}

export default function PlacePicker({
  communities,
  value,
  onPick,
}: {
  communities: readonly CommunityDto[];
  value: Point | null;
  onPick: (p: Point) => void;
}) {
  const { t } = useTranslation();
  const first = communities[0];
  const center: [number, number] = value
    ? [value.lat, value.lng]
    : first
      ? [first.lat, first.lng]
      : [34.36, 107.2];
  return (
    <div className="intake-map" data-testid="intake-map" role="region" aria-label={t("intake.placeHint")}>
      <MapContainer center={center} zoom={14} className="map">
        {TILES_ENABLED && <TileLayer url={TILE_URL} attribution={TILE_ATTRIBUTION} maxZoom={19} />}
        {communities.map((c) => (
          <CircleMarker key={c.id} center={[c.lat, c.lng]} radius={4} pathOptions={{ color: "#5b6b7f" }}>
            <Tooltip permanent direction="top">
              {c.name}
            </Tooltip>
          </CircleMarker>
        ))}
        {value && (
          <CircleMarker
            center={[value.lat, value.lng]}
            radius={9}
            pathOptions={{ color: "#c62828", weight: 3 }}
          />
        )}
        <ClickToPick onPick={onPick} />
      </MapContainer>
    </div>
  );
}
