// The one client store, keyed by id (traccar-web style): the realtime module writes into it,
// components read slices with useStore(selector). No state library: useSyncExternalStore.
import { useSyncExternalStore } from "react";
import type {
  CaseSummary,
  DeviceSummary,
  PlatformInfo,
  PlatformStatus,
  PresenceNotice,
  ResponderMe,
  ResponderSummary,
  StaffAlert,
} from "../../protocol/api.ts";
import { isOpenStatus } from "../../protocol/domain.ts";
import { applyDeltas, emptyEntities, type Delta, type Entities } from "./lib/deltas.ts";

export type ConnectionState = "idle" | "connecting" | "connected" | "reconnecting";

export interface State extends Entities {
  connection: ConnectionState;
  /** When the last REST snapshot was applied (ms); null before the first one. */
  snapshotAt: number | null;
  /** Responder app: this responder. */
  me: ResponderSummary | null;
  /** Responder app: the duty desk's number, from the last snapshot. */
  dutyDeskPhone: string | null;
  /** Responder app: what the platform says the phone missed while it was lost (shown once). */
  presenceNotice: PresenceNotice | null;
  /** Console: the case open in the drawer. */
  selectedCaseId: number | null;
  /** The drawer shows the case without actions (opened from the case history). */
  selectedReadOnly: boolean;
  /** Console: the platform's own state (storage, MQTT link), as the server last said. */
  platform: PlatformStatus | null;
  /** Console: this deployment's settings (time zone, alarm repeats), once read. */
  settings: PlatformInfo | null;
}

function initial(): State {
  return {
    ...emptyEntities(),
    connection: "idle",
    snapshotAt: null,
    me: null,
    dutyDeskPhone: null,
    presenceNotice: null,
    selectedCaseId: null,
    selectedReadOnly: false,
    settings: null,
    platform: null,
  };
}

let state: State = initial();
const listeners = new Set<() => void>();

function set(next: State): void {
  if (next === state) return;
  state = next;
  for (const l of listeners) l();
}

function byId<K, V>(items: readonly V[], key: (v: V) => K): Map<K, V> {
  const m = new Map<K, V>();
  for (const v of items) m.set(key(v), v);
  return m;
}

export const store = {
  get: (): State => state,
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** One store update for a whole batch of deltas. */
  apply(deltas: readonly Delta[]): void {
    const entities = applyDeltas(state, deltas);
    if (entities === state) return;
    let me = state.me;
    for (const d of deltas) if (d.type === "responder" && me !== null && d.value.id === me.id) me = d.value;
    set({ ...state, ...entities, me });
  },
  setPlatform(platform: PlatformStatus): void {
    set({ ...state, platform });
  },
  setConnection(connection: ConnectionState): void {
    if (state.connection !== connection) set({ ...state, connection });
  },
  /** Staff snapshot: replaces cases, responders and open alerts wholesale. */
  staffSnapshot(
    cases: readonly CaseSummary[],
    responders: readonly ResponderSummary[],
    alerts: readonly StaffAlert[],
  ): void {
    set({
      ...state,
      alerts: byId(
        alerts.filter((a) => a.acknowledgedAt === null),
        (a) => a.id,
      ),
      cases: byId(
        cases.filter((c) => isOpenStatus(c.status)),
        (c) => c.id,
      ),
      responders: byId(responders, (r) => r.id),
      snapshotAt: Date.now(),
    });
  },
  /** Responder snapshot from GET /api/responder/me (or, offline, the copy kept on the phone). */
  responderSnapshot(me: ResponderMe, syncedAt = Date.now()): void {
    set({
      ...state,
      me: me.responder,
      offers: byId(me.offers, (o) => o.id),
      cases: me.activeCase ? new Map([[me.activeCase.id, me.activeCase]]) : new Map(),
      dutyDeskPhone: me.dutyDeskPhone,
      presenceNotice: me.presence.notice ?? state.presenceNotice,
      snapshotAt: syncedAt,
    });
  },
  setPresenceNotice(presenceNotice: PresenceNotice | null): void {
    if (state.presenceNotice !== presenceNotice) set({ ...state, presenceNotice });
  },
  setMe(me: ResponderSummary): void {
    set({ ...state, me });
  },
  /** A case summary returned by a REST action: applied like a delta so the UI does not wait for the socket. */
  upsertCase(c: CaseSummary): void {
    store.apply([{ type: "case", value: c }]);
  },
  removeOffer(offerId: number): void {
    if (!state.offers.has(offerId)) return;
    const offers = new Map(state.offers);
    offers.delete(offerId);
    set({ ...state, offers });
  },
  setDevices(devices: readonly DeviceSummary[]): void {
    set({ ...state, devices: byId(devices, (d) => d.id) });
  },
  selectCase(selectedCaseId: number | null, readOnly = false): void {
    if (state.selectedCaseId !== selectedCaseId || state.selectedReadOnly !== readOnly)
      set({ ...state, selectedCaseId, selectedReadOnly: selectedCaseId !== null && readOnly });
  },
  setSettings(settings: PlatformInfo): void {
    set({ ...state, settings });
  },
  /** An alert answered by a REST call: applied like a delta. */
  upsertAlert(a: StaffAlert): void {
    store.apply([{ type: "alert", value: a }]);
  },
  /** Logout: forget everything. */
  reset(): void {
    set(initial());
  },
};

export function useStore<T>(selector: (s: State) => T): T {
  return useSyncExternalStore(store.subscribe, () => selector(state));
}
