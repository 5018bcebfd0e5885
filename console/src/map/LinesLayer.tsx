// A line from each assigned responder to its case (dashed until the responder sets off).
import { memo, useMemo } from "react";
import { Polyline } from "react-leaflet";
import { isAssignedStatus, type CaseStatus } from "../../../protocol/domain.ts";
import { useStore } from "../store.ts";

const Line = memo(function Line(p: { from: [number, number]; to: [number, number]; status: CaseStatus }) {
  const [fa, fo] = p.from;
  const [ta, to] = p.to;
  const positions = useMemo<[number, number][]>(
    () => [
      [fa, fo],
      [ta, to],
    ],
    [fa, fo, ta, to],
  );
  // Leaflet reads className and interactive only when it creates the path (never in setStyle, which
  // is what react-leaflet's pathOptions go through); a new status is a new line (see the key).
  return (
    <Polyline
      positions={positions}
      className={`line line-${p.status}`}
      dashArray={p.status === "accepted" ? "6 6" : undefined}
      interactive={false}
    />
  );
});

export function LinesLayer() {
  const cases = useStore((s) => s.cases);
  const responders = useStore((s) => s.responders);
  const lines = useMemo(() => {
    const out: { id: number; from: [number, number]; to: [number, number]; status: CaseStatus }[] = [];
    for (const c of cases.values()) {
      if (c.responderId === null || !isAssignedStatus(c.status)) continue;
      const r = responders.get(c.responderId);
      if (!r || r.lat === null || r.lng === null) continue;
      out.push({ id: c.id, from: [r.lat, r.lng], to: [c.lat, c.lng], status: c.status });
    }
    return out;
  }, [cases, responders]);
  return (
    <>
      {lines.map((l) => (
        <Line key={`${l.id}:${l.status}`} from={l.from} to={l.to} status={l.status} />
      ))}
    </>
  );
}
