// What a device event means for the resident's cases. Pure: given the event type and the cases
// the resident still has open, it decides; the case service carries the decision out.
//   - a second sos / fall joins the open emergency (and raises it);
//   - service_request is a request for a service order (service-orders/), never a case: the
//     order feature places it, or adds it to the resident's open request;
//   - cancel targets the open emergency, else the open service case;
//   - low_battery opens one technical case, or is noted on the one already open;
//   - test only stamps the device (the weekly test press is logged, never dispatched).
//   - check_in ("I'm OK") is only logged: the daily check-in reads it.
import type { CaseKind, DeviceEventType } from "../../protocol/index.ts";

/** What the device is told, and what the DeviceEvent row records. */
const DEVICE_EVENT_OUTCOMES = ["created", "joined", "cancelled", "logged", "rejected"] as const;
export type DeviceEventOutcome = (typeof DEVICE_EVENT_OUTCOMES)[number];

export function isDeviceEventOutcome(value: string): value is DeviceEventOutcome {
  return (DEVICE_EVENT_OUTCOMES as readonly string[]).includes(value);
}

export interface OpenCase {
  id: number;
  kind: CaseKind;
}

export type PressDecision =
  | { action: "open"; type: "sos" | "fall" | "low_battery"; outcome: DeviceEventOutcome }
  | { action: "join"; caseId: number; press: "sos" | "fall"; outcome: "joined" }
  /** 居民点单: a service order; its outcome (created or joined) is the order feature's answer. */
  | { action: "request" }
  /** If the engine refuses (help is on the way), the outcome becomes "rejected". */
  | { action: "cancel"; caseId: number; outcome: "cancelled" }
  | { action: "note"; caseId: number | null; outcome: "logged"; reason?: string }
  | { action: "stamp_test"; outcome: "logged" };

/** `openCases`: the resident's cases someone still has to act on. */
/** The newest of the open cases of `kind`: the one a new press or call about it joins. */
export function newestOpen(openCases: readonly OpenCase[], kind: CaseKind): number | null {
  return openCases.reduce<number | null>(
    (id, c) => (c.kind === kind && (id === null || c.id > id) ? c.id : id),
    null,
  );
}

export function decidePress(eventType: DeviceEventType, openCases: readonly OpenCase[]): PressDecision {
  const newest = (kind: CaseKind) => newestOpen(openCases, kind);
  switch (eventType) {
    case "service_request":
      return { action: "request" };
    case "sos":
    case "fall": {
      const open = newest("emergency");
      return open === null
        ? { action: "open", type: eventType, outcome: "created" }
        : { action: "join", caseId: open, press: eventType, outcome: "joined" };
    }
    case "cancel": {
      const target = newest("emergency") ?? newest("service");
      return target === null
        ? { action: "note", caseId: null, outcome: "logged", reason: "no open case to cancel" }
        : { action: "cancel", caseId: target, outcome: "cancelled" };
    }
    case "low_battery": {
      const open = newest("technical");
      return open === null
        ? { action: "open", type: "low_battery", outcome: "logged" }
        : { action: "note", caseId: open, outcome: "logged" };
    }
    case "test":
      return { action: "stamp_test", outcome: "logged" };
    case "check_in":
      // Stored as the resident's sign of life for the day (check-in/); nobody is sent.
      return { action: "note", caseId: null, outcome: "logged" };
  }
}
