// Pure reducer that folds a batch of realtime deltas into the client state. Maps are copied
// only when the batch touches them, so untouched slices keep their identity and React skips them.
import type {
  CaseSummary,
  DeviceSummary,
  OfferWithCase,
  ResponderSummary,
  StaffAlert,
} from "../../../protocol/api.ts";
import { isOpenStatus, isWaitingStatus } from "../../../protocol/domain.ts";
import type { OfferWithdrawn } from "../../../protocol/socket.ts";

export interface Entities {
  /** Open cases only (closed ones leave the queue). */
  cases: ReadonlyMap<number, CaseSummary>;
  responders: ReadonlyMap<number, ResponderSummary>;
  devices: ReadonlyMap<string, DeviceSummary>;
  /** Responder app: this responder's pending offers. */
  offers: ReadonlyMap<number, OfferWithCase>;
  /** Staff alerts nobody has acknowledged yet, by id. */
  alerts: ReadonlyMap<number, StaffAlert>;
  /** Responder app: why an offer disappeared, newest last (shown as a notice). */
  withdrawn: readonly OfferWithdrawn[];
}

export type Delta =
  | { type: "case"; value: CaseSummary }
  | { type: "responder"; value: ResponderSummary }
  | { type: "device"; value: DeviceSummary }
  | { type: "offer"; value: OfferWithCase }
  | { type: "offer:withdrawn"; value: OfferWithdrawn }
  | { type: "alert"; value: StaffAlert };

export function emptyEntities(): Entities {
  return {
    cases: new Map(),
    responders: new Map(),
    devices: new Map(),
    offers: new Map(),
    alerts: new Map(),
    withdrawn: [],
  };
}

/** A delta older than what we hold (e.g. emitted before the snapshot was read) is ignored. */
function isNewer(
  incoming: Pick<CaseSummary, "updatedAt">,
  held: Pick<CaseSummary, "updatedAt"> | undefined,
): boolean {
  return held === undefined || Date.parse(incoming.updatedAt) >= Date.parse(held.updatedAt);
}

export function applyDeltas(state: Entities, deltas: readonly Delta[]): Entities {
  if (deltas.length === 0) return state;
  let cases: Map<number, CaseSummary> | null = null;
  let responders: Map<number, ResponderSummary> | null = null;
  let devices: Map<string, DeviceSummary> | null = null;
  let offers: Map<number, OfferWithCase> | null = null;
  let alerts: Map<number, StaffAlert> | null = null;
  let withdrawn: OfferWithdrawn[] | null = null;

  for (const d of deltas) {
    switch (d.type) {
      case "case": {
        const c = d.value;
        const held = (cases ?? state.cases).get(c.id);
        if (!isNewer(c, held)) break;
        if (held === undefined && !isOpenStatus(c.status)) break;
        cases ??= new Map(state.cases);
        if (isOpenStatus(c.status)) cases.set(c.id, c);
        else cases.delete(c.id);
        // A case that moved on takes its stale offers along (the phone may miss the withdrawal).
        if (!isWaitingStatus(c.status)) {
          const current = offers ?? state.offers;
          for (const o of current.values()) {
            if (o.caseId !== c.id) continue;
            offers ??= new Map(state.offers);
            offers.delete(o.id);
          }
        }
        break;
      }
      case "responder":
        responders ??= new Map(state.responders);
        responders.set(d.value.id, d.value);
        break;
      case "device":
        // Device health is loaded per tab; a delta refreshes a row already on screen.
        if (!(devices ?? state.devices).has(d.value.id)) break;
        devices ??= new Map(state.devices);
        devices.set(d.value.id, d.value);
        break;
      case "offer":
        offers ??= new Map(state.offers);
        offers.set(d.value.id, d.value);
        break;
      case "offer:withdrawn":
        offers ??= new Map(state.offers);
        offers.delete(d.value.offerId);
        withdrawn ??= [...state.withdrawn];
        withdrawn.push(d.value);
        break;
      case "alert":
        // New, or acknowledged (by anyone, on any console): then it leaves the list.
        alerts ??= new Map(state.alerts);
        if (d.value.acknowledgedAt === null) alerts.set(d.value.id, d.value);
        else alerts.delete(d.value.id);
        break;
    }
  }
  return {
    cases: cases ?? state.cases,
    responders: responders ?? state.responders,
    devices: devices ?? state.devices,
    offers: offers ?? state.offers,
    alerts: alerts ?? state.alerts,
    withdrawn: withdrawn ? withdrawn.slice(-10) : state.withdrawn,
  };
}
