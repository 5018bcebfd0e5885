// Fire-and-forget messages to people and devices, sent after a commit: nothing here is durable,
// so a lost message costs a refresh (consoles refetch on reconnect, devices resend), never a press.
// edge/realtime.ts implements the people part, edge/mqtt-link.ts the device acks.
import type {
  CaseSummary,
  DeviceAck,
  DeviceSummary,
  FamilyCase,
  OfferWithCase,
  OfferWithdrawn,
  ResponderSummary,
  CoverageAlert,
  ServiceOrder,
  StaffAlert,
} from "../protocol/index.ts";

export interface Notifier {
  /** QoS 1 publish to the device's ack topic. */
  ackDevice(deviceId: string, ack: DeviceAck): void;
  caseChanged(summary: CaseSummary, created: boolean): void;
  /** A responder taken off a case (reassigned, cancelled) must learn it at once. */
  caseReleased(responderId: number, summary: CaseSummary): void;
  offer(responderId: number, offer: OfferWithCase): void;
  offerWithdrawn(responderId: number, w: OfferWithdrawn): void;
  alert(a: StaffAlert): void;
  /** Someone acknowledged it: other consoles drop it from their list. */
  alertUpdated(a: StaffAlert): void;
  responderChanged(r: ResponderSummary): void;
  /** Only for changes staff care about (online ↔ offline, low battery). */
  deviceChanged(d: DeviceSummary): void;
  /** To a family user: their elder's case as they follow it. */
  familyCase(userId: number, c: FamilyCase): void;
  /** A service order changed: its community's staff, its responder and `responderIds` hear it. */
  orderChanged(o: ServiceOrder, responderIds: readonly number[]): void;
  /** The order's window opens soon: its responder is reminded. */
  orderReminder(responderId: number, o: ServiceOrder): void;
  /** A coverage alert was raised or changed: its community's staff hear it. */
  coverageAlert(a: CoverageAlert): void;
}
