// Community names and grid outlines from the database, so the map orients with no tile server.
import { memo } from "react";
import L from "leaflet";
import { Marker, Polygon } from "react-leaflet";
import type { MapAreas } from "../../../protocol/api.ts";

const labelIcons = new Map<string, L.DivIcon>();
function labelIcon(name: string): L.DivIcon {
  let icon = labelIcons.get(name);
  if (!icon) {
    const safe = name.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
    icon = L.divIcon({
      className: "community-label",
      html: `<span>${safe}</span>`,
      iconSize: [120, 24],
      iconAnchor: [60, 12],
    });
    labelIcons.set(name, icon);
  }
  return icon;
}

export const AreasLayer = memo(function AreasLayer({ areas }: { areas: MapAreas }) {
  return (
    <>
      {areas.communities.flatMap((c) =>
        c.grids.flatMap((g) =>
          g.outline
            ? [
                <Polygon
                  key={`g${g.id}`}
                  positions={g.outline}
                  className="grid-outline"
                  interactive={false}
                />,
              ]
            : [],
        ),
      )}
      {areas.communities.map((c) => (
        <Marker
          key={`c${c.id}`}
          position={[c.lat, c.lng]}
          icon={labelIcon(c.name)}
          interactive={false}
          keyboard={false}
          zIndexOffset={-1000}
        />
      ))}
    </>
  );
});
