// Marker icons as cached L.divIcon: one object per look, so react-leaflet only calls setIcon when
// the look really changes (markers update in place, no flicker). Colours live in styles.css.
import L from "leaflet";
import type { CaseSummary, ResponderSummary } from "../../../protocol/api.ts";

const cache = new Map<string, L.DivIcon>();

function cached(key: string, make: () => L.DivIcon): L.DivIcon {
  let icon = cache.get(key);
  if (!icon) {
    icon = make();
    cache.set(key, icon);
  }
  return icon;
}

export interface CaseLook {
  priority: CaseSummary["priority"];
  kind: CaseSummary["kind"];
  status: CaseSummary["status"];
  /** Unacknowledged emergency: pulses. */
  alarm: boolean;
  selected: boolean;
}

export function caseIcon(l: CaseLook): L.DivIcon {
  const key = `c:${l.priority}:${l.kind}:${l.status}:${l.alarm ? 1 : 0}:${l.selected ? 1 : 0}`;
  return cached(key, () => {
    const cls = [
      "cm",
      `cm-p${l.priority}`,
      `cm-${l.kind}`,
      `cm-${l.status}`,
      l.alarm ? "cm-pulse" : "",
      l.selected ? "cm-selected" : "",
    ].join(" ");
    return L.divIcon({
      className: "case-icon",
      html: `<div class="${cls}"><span>${l.priority}</span></div>`,
      iconSize: [30, 30],
      iconAnchor: [15, 15],
      tooltipAnchor: [12, 0],
    });
  });
}

/** A glyph per activity so the state reads without colour too (the legend explains them). */
export const ACTIVITY_GLYPH: Record<ResponderSummary["activity"], string> = {
  off_duty: "",
  idle: "",
  offered: "?",
  accepted: "✓",
  en_route: "➜",
  on_scene: "●",
};

export function responderIcon(activity: ResponderSummary["activity"]): L.DivIcon {
  return cached(`r:${activity}`, () =>
    L.divIcon({
      className: "responder-icon",
      html: `<div class="rm rm-${activity}">${ACTIVITY_GLYPH[activity]}</div>`,
      iconSize: [20, 20],
      iconAnchor: [10, 10],
    }),
  );
}

const sizeClass = (n: number) => (n < 10 ? "s" : n < 100 ? "m" : "l");

/**
 * Clusters of idle responders: a hollow green ring with a person glyph, so a count is never
 * read as a case's priority. Sizes are classes, not inline styles (a strict CSP blocks those).
 */
export function clusterIcon(cluster: L.MarkerCluster): L.DivIcon {
  const n = cluster.getChildCount();
  const size = { s: 30, m: 36, l: 42 }[sizeClass(n)];
  return L.divIcon({
    className: "responder-cluster",
    html: `<div class="rc rc-${sizeClass(n)}"><span aria-hidden="true">人</span>${n}</div>`,
    iconSize: [size, size],
  });
}

/**
 * Clusters of cases: a wide tag (no case marker is wide) in the colour of the most urgent case
 * inside, saying which priority that is and how many cases it holds.
 */
export function caseClusterIcon(
  cluster: L.MarkerCluster,
  label: (count: number, worst: number) => string,
): L.DivIcon {
  const priorities = cluster
    .getAllChildMarkers()
    .map((m) => (m.options as { priority?: number }).priority ?? 4);
  const worst = Math.min(...priorities);
  const n = cluster.getChildCount();
  return L.divIcon({
    className: "case-cluster",
    html: `<div class="cc cc-p${worst}" title="${label(n, worst)}"><b>P${worst}</b><span>×${n}</span></div>`,
    iconSize: [58, 28],
    iconAnchor: [29, 14],
  });
}
