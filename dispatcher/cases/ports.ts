// What the case service needs from the outside world, so tests and the composition root can wire it.
import type { CaseSummary, DeviceAck, OfferDto, ResponderSummary } from "../../protocol/index.ts";
import type { OfferWithdrawn, StaffAlert } from "../../protocol/socket.ts";

export interface Clock {
  now(): number;
}

export interface Outbox {
  /** QoS 1 publish to the device's ack topic. */
  ackDevice(deviceId: string, ack: DeviceAck): void;
  caseChanged(summary: CaseSummary, created: boolean): void;
  /** A responder taken off a case (reassigned, cancelled) must learn it at once. */
  caseReleased(responderId: number, summary: CaseSummary): void;
  offer(responderId: number, offer: OfferDto & { case: CaseSummary }): void;
  offerWithdrawn(responderId: number, w: OfferWithdrawn): void;
  alert(a: StaffAlert): void;
  responderChanged(r: ResponderSummary): void;
}
