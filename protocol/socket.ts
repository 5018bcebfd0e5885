// Socket.IO event maps shared by the dispatcher and the console / phone app.
import type { CaseSummary, OfferDto, ResponderSummary, DeviceSummary, LocationUpdate } from "./api.ts";

export interface OfferWithdrawn {
  offerId: number;
  caseId: number;
  reason: "taken" | "expired" | "cancelled" | "reassigned";
}
export interface StaffAlert {
  caseId: number;
  kind: "escalated" | "no_candidate" | "offer_timeout";
  message: string;
  at: string;
}
export type Ack = (result: { ok: true } | { ok: false; error: string }) => void;

export interface ServerToClientEvents {
  "case:created": (c: CaseSummary) => void;
  "case:updated": (c: CaseSummary) => void;
  "responder:updated": (r: ResponderSummary) => void;
  "device:updated": (d: DeviceSummary) => void;
  alert: (a: StaffAlert) => void;
  /** To one responder: a job offer with its deadline. */
  offer: (o: OfferDto & { case: CaseSummary }) => void;
  "offer:withdrawn": (w: OfferWithdrawn) => void;
}

export interface ClientToServerEvents {
  "responder:location": (loc: LocationUpdate, ack?: Ack) => void;
}

export interface InterServerEvents {
  ping: () => void;
}

export interface SocketData {
  userId: number;
  role: "admin" | "dispatcher" | "manager" | "responder";
  responderId: number | null;
}

/** Rooms: staff see everything; each responder has a private room. */
export const rooms = {
  staff: "staff",
  responder: (id: number) => `responder:${id}`,
} as const;
