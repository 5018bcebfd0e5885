// What a device event means for the resident's cases. Pure: given the event type and the cases
// the resident still has open, it decides; the case service carries the decision out.
//   - a second sos / fall joins the open emergency (and raises it);
//   - service_request is a request for a service order (service-orders/), never a case: the
//     order feature places it, or adds it to the resident's open request;
//   - cancel targets the open emergency, else the open service case;
//   - low_battery opens one technical case, or is noted on the one already open;
//   - test only stamps the device (the weekly test press is logged, never dispatched);
//   - smoke / gas / water_leak open a case of their own (their guidance must not be lost in another
//     case) or join the open one of the same type;
//   - door_open is a door alert when the door rule says so (dementia, at a set hour), else logged;
//   - motion / no_motion are logged (the sensors feature counts the silence);
//   - check_in ("I'm OK") is only logged: the daily check-in reads it.
import type { CaseKind, CaseType, DeviceEventType, HazardCaseType } from "../../protocol/index.ts";

/** What the device is told, and what the DeviceEvent row records. */
const DEVICE_EVENT_OUTCOMES = ["created", "joined", "cancelled", "logged", "rejected"] as const;
export type DeviceEventOutcome = (typeof DEVICE_EVENT_OUTCOMES)[number];

export function isDeviceEventOutcome(value: string): value is DeviceEventOutcome {
  return (DEVICE_EVENT_OUTCOMES as readonly string[]).includes(value);
}

export interface OpenCase {
  id: number;
  kind: CaseKind;
  type: CaseType;
}

/** What the platform knows beyond the event itself (decided by pure rules of the sensors feature). */
export interface PressContext {
  /** The door rule found this door opening unusual for this resident. */
  doorWarning: boolean;
}

type Opened = "sos" | "fall" | "low_battery" | HazardCaseType | "door_alert";
type Joined = "sos" | "fall" | HazardCaseType | "door_alert";

/** A cancel from the resident's button stops what their button (or their silence) started, never a fire alarm. */
const CANCELLABLE_BY_RESIDENT: readonly CaseType[] = ["sos", "fall", "welfare_check"];

export type PressDecision =
  | { action: "open"; type: Opened; outcome: DeviceEventOutcome }
  | { action: "join"; caseId: number; press: Joined; outcome: "joined" }
  /** 居民点单: a service order; its outcome (created or joined) is the order feature's answer. */
  | { action: "request" }
  /** If the engine refuses (help is on the way), the outcome becomes "rejected". */
  | { action: "cancel"; caseId: number; outcome: "cancelled" }
  | { action: "note"; caseId: number | null; outcome: "logged"; reason?: string }
  | { action: "stamp_test"; outcome: "logged" };

/** `openCases`: the resident's cases someone still has to act on. */
/** The newest of the open cases of `kind`: the one a new press or call about it joins. */
export function newestOpen(
  openCases: readonly Pick<OpenCase, "id" | "kind">[],
  kind: CaseKind,
): number | null {
  return openCases.reduce<number | null>(
    (id, c) => (c.kind === kind && (id === null || c.id > id) ? c.id : id),
    null,
  );
}

export function decidePress(
  eventType: DeviceEventType,
  openCases: readonly OpenCase[],
  context: PressContext = { doorWarning: false },
): PressDecision {
  const newestWhere = (fits: (c: OpenCase) => boolean) =>
    openCases.reduce<number | null>((id, c) => (fits(c) && (id === null || c.id > id) ? c.id : id), null);
  const newest = (kind: CaseKind) => newestOpen(openCases, kind);
  const openOrJoin = (type: Joined): PressDecision => {
    const open = newestWhere((c) => c.type === type);
    return open === null
      ? { action: "open", type, outcome: "created" }
      : { action: "join", caseId: open, press: type, outcome: "joined" };
  };
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
      const target = newestWhere((c) => CANCELLABLE_BY_RESIDENT.includes(c.type)) ?? newest("service");
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
    case "smoke":
    case "gas":
    case "water_leak":
      return openOrJoin(eventType);
    case "door_open":
      return context.doorWarning
        ? openOrJoin("door_alert")
        : { action: "note", caseId: null, outcome: "logged" };
    case "motion":
    case "no_motion":
    case "check_in":
      // Stored as the resident's sign of life for the day (check-in/); nobody is sent.
      return { action: "note", caseId: null, outcome: "logged" };
  }
}
