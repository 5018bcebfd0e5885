// Socket.IO contracts shared by the dispatcher and the console / phone app: every payload as a
// zod schema (clients may check what they receive), and the typed event maps built from them.
import { z } from "zod";
import { WithdrawalReasonSchema, type UserRole } from "./domain.ts";
import { StaffAlertSchema, type StaffAlert } from "./alerts.ts";
import { CaseSummarySchema, OfferWithCaseSchema, type CaseSummary, type OfferWithCase } from "./cases.ts";
import { ResponderSummarySchema, type ResponderSummary } from "./responders.ts";
import { DeviceSummarySchema, type DeviceSummary } from "./devices.ts";
import { PlatformStatusSchema, type PlatformStatus } from "./health.ts";
import { FamilyCaseSchema, type FamilyCase } from "./family.ts";
import type { ServiceOrder } from "./service-orders.ts";
import { CoverageAlertSchema, type CoverageAlert } from "./rosters.ts";
import { id } from "./wire.ts";

export const OfferWithdrawnSchema = z.object({
  offerId: id,
  caseId: id,
  reason: WithdrawalReasonSchema,
});
export type OfferWithdrawn = z.infer<typeof OfferWithdrawnSchema>;

/** Payload schema of each server → client event, for clients that validate what they get. */
export const ServerEventSchemas = {
  "case:created": CaseSummarySchema,
  "case:updated": CaseSummarySchema,
  "responder:updated": ResponderSummarySchema,
  "device:updated": DeviceSummarySchema,
  alert: StaffAlertSchema,
  "alert:updated": StaffAlertSchema,
  offer: OfferWithCaseSchema,
  "offer:withdrawn": OfferWithdrawnSchema,
  "platform:health": PlatformStatusSchema,
  "coverage:alert": CoverageAlertSchema,
  "family:case": FamilyCaseSchema,
} as const;

export interface ServerToClientEvents {
  "case:created": (c: CaseSummary) => void;
  "case:updated": (c: CaseSummary) => void;
  "responder:updated": (r: ResponderSummary) => void;
  "device:updated": (d: DeviceSummary) => void;
  /** A new staff alert; "alert:updated" when someone acknowledged it. */
  alert: (a: StaffAlert) => void;
  "alert:updated": (a: StaffAlert) => void;
  /** To one responder: a job offer with its deadline. */
  offer: (o: OfferWithCase) => void;
  "offer:withdrawn": (w: OfferWithdrawn) => void;
  /** A service order changed (staff of its community, its responder, volunteers who may claim it). */
  "order:updated": (o: ServiceOrder) => void;
  /** To one responder: their service order's window opens soon. */
  "order:reminder": (o: ServiceOrder) => void;
  /** To the community's staff: a gap in roster coverage ahead was raised, changed, acknowledged or resolved. */
  "coverage:alert": (a: CoverageAlert) => void;
  /** To staff: on connect, and whenever a platform problem (storage, MQTT link) starts or ends. */
  "platform:health": (s: PlatformStatus) => void;
  /** To a family member: their elder's case as they follow it, whenever it moves. */
  "family:case": (c: FamilyCase) => void;
}

/** Clients only listen; every action goes through REST, so it is authorised and validated once. */
export type ClientToServerEvents = Record<string, never>;

/**
 * Between the instances of a cluster (through the Redis adapter): a responder's phone socket
 * came or went on the sending instance, so the leader's presence sees phones on every instance.
 */
export interface InterServerEvents {
  "responder:socket": (responderId: number, connected: boolean) => void;
}

export interface SocketData {
  userId: number;
  role: UserRole;
  responderId: number | null;
  /** The staff user's communities; null = all. */
  communityIds: number[] | null;
  /** The login session the socket was opened with; it is closed when that session ends. */
  sessionId: string;
  expiresAt: number;
}

/**
 * Rooms: staff who see every community join `staff`; staff limited to communities join one
 * `community:{id}` room each; each responder has a private room. An event about a community goes
 * to `staff` and to that community's room, so a limited console hears only its own. Every staff
 * console also joins `consoles`, for what concerns the whole platform (its health), and every
 * responder phone `responders`, so a new leader can count the phones on every instance.
 */
export const rooms = {
  staff: "staff",
  consoles: "consoles",
  responders: "responders",
  community: (id: number) => `community:${id}`,
  responder: (id: number) => `responder:${id}`,
} as const;
