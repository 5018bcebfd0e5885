// A service order as staff and phones see it.
import type { ServiceOrder } from "../../protocol/index.ts";
import type { OrderRow } from "./repository.ts";
import { isOverdue } from "./rules.ts";

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function toOrderDto(o: OrderRow, now: number): ServiceOrder {
  return {
    id: o.id,
    residentId: o.residentId,
    residentName: o.residentName,
    residentPhone: o.residentPhone,
    address: o.address,
    communityId: o.communityId,
    communityName: o.communityName,
    service: o.service,
    window: { from: iso(o.windowFrom), to: iso(o.windowTo) },
    notes: o.notes,
    origin: o.origin,
    status: o.status,
    responderId: o.responderId,
    responderName: o.responderName,
    claimed: o.claimed,
    overdue: isOverdue(o, now),
    minutes: o.minutes,
    report: o.report,
    cancelReason: o.cancelReason,
    requests: o.requests,
    lastRequestAt: isoOrNull(o.lastRequestAt),
    createdAt: iso(o.createdAt),
    doneAt: isoOrNull(o.doneAt),
  };
}
