// Console output of the simulator CLI: the periodic live line and the final summary table.
import type { DeviceAck } from "../protocol/mqtt.ts";
import type { PressResult } from "./outbox.ts";
import type { SimResponder } from "./responders.ts";
import type { FleetSummary } from "./summary.ts";

const ms = (v: number | null) => (v === null ? "–" : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`);

export function liveLine(
  elapsedS: number,
  online: number,
  devices: number,
  s: FleetSummary,
  responders: readonly SimResponder[],
): string {
  const parts = [
    `devices ${online}/${devices} online`,
    `presses ${s.presses} acked ${s.acked} pending ${s.lost}`,
    `ack median ${ms(s.medianAckMs)} p99 ${ms(s.p99AckMs)} max attempts ${s.maxAttempts}`,
  ];
  if (responders.length > 0) {
    const active = responders.filter((r) => r.activity !== "off_duty");
    const busy = active.filter((r) => r.activity !== "idle").length;
    const resolved = responders.reduce((n, r) => n + r.resolved, 0);
    parts.push(`responders ${active.length} on duty, ${busy} busy, ${resolved} visits done`);
  }
  return `[${String(Math.round(elapsedS)).padStart(5)}s] ${parts.join(" · ")}`;
}

export function pressLine(deviceId: string, r: PressResult): string {
  const ack = r.ack;
  const extra = [
    ack.caseId !== undefined ? `case #${ack.caseId}` : null,
    ack.reason ?? null,
    `${r.attempts} ${r.attempts === 1 ? "copy" : "copies"}`,
  ]
    .filter((x) => x !== null)
    .join(", ");
  return `  ${deviceId} ${r.type} → ${ack.status} in ${ms(r.latencyMs)} (${extra})`;
}

export function ackLine(deviceId: string, ack: DeviceAck): string {
  const bits = [
    ack.caseId !== undefined ? `case #${ack.caseId}` : null,
    ack.responderName ? `responder ${ack.responderName}` : null,
    ack.etaSeconds !== undefined ? `ETA ${Math.ceil(ack.etaSeconds / 60)} min` : null,
    ack.reason ?? null,
  ].filter((x) => x !== null);
  return `  ${deviceId} ← ${ack.status}${bits.length > 0 ? ` (${bits.join(", ")})` : ""}`;
}

export function summaryTable(s: FleetSummary, elapsedS: number): string {
  const rows: [string, string][] = [
    ["run time", `${Math.round(elapsedS)} s`],
    ["presses", String(s.presses)],
    ["acked", String(s.acked)],
    ["lost (unacked)", String(s.lost)],
    ["median press→ack", ms(s.medianAckMs)],
    ["p99 press→ack", ms(s.p99AckMs)],
    ["max attempts", String(s.maxAttempts)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const valueWidth = Math.max(...rows.map(([, v]) => v.length));
  const line = `+-${"-".repeat(width)}-+-${"-".repeat(valueWidth)}-+`;
  return [line, ...rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v.padStart(valueWidth)} |`), line].join(
    "\n",
  );
}
