// The one Socket.IO connection of the app. On every (re)connect it refetches the snapshot over
// REST, then applies deltas; deltas arriving meanwhile are held back so an older snapshot cannot
// overwrite them, and bursts are coalesced into one store update per animation frame.
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../protocol/socket.ts";
import { api, ApiError } from "./api.ts";
import { coverageAlertEvent, orderEvent } from "./care/order-events.ts";
import { createCoalescer } from "./lib/coalesce.ts";
import type { Delta } from "./lib/deltas.ts";
import { store } from "./store.ts";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Audience = "staff" | "responder";

const RETRY_MS = 3000;
/** The phone re-reads its own state now and then: a reassignment away from it sends no event. */
const RESPONDER_RESYNC_MS = 60_000;

async function loadSnapshot(audience: Audience): Promise<void> {
  if (audience === "staff") {
    const [cases, responders, alerts] = await Promise.all([api.cases(), api.responders(), api.alerts()]);
    store.staffSnapshot(cases, responders, alerts);
  } else {
    store.responderSnapshot(await api.responderMe());
  }
}

export interface Realtime {
  /** Re-reads the snapshot now (e.g. after an action whose effects the socket may not carry). */
  resync(): Promise<void>;
  stop(): void;
}

export function startRealtime(token: string, audience: Audience): Realtime {
  // WebSocket only: no long-polling requests through the HTTP stack (and fewer moving parts
  // behind proxies that support upgrades, which the dev proxy and the dispatcher do).
  const socket: ClientSocket = io({ auth: { token }, transports: ["websocket"], reconnectionDelayMax: 5000 });
  const coalescer = createCoalescer<Delta>((batch) => store.apply(batch));
  let held: Delta[] | null = []; // non-null while a snapshot is loading
  let generation = 0;
  let stopped = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (fn: () => void, ms: number) => {
    const id = setTimeout(() => {
      timers.delete(id);
      fn();
    }, ms);
    timers.add(id);
  };

  const push = (d: Delta) => {
    if (held) held.push(d);
    else coalescer.push(d);
  };

  const sync = async (): Promise<void> => {
    const gen = ++generation;
    held ??= [];
    coalescer.flush();
    try {
      await loadSnapshot(audience);
    } catch (err) {
      if (stopped || gen !== generation) return;
      // 401 is handled by the api module (back to login); anything else: try again.
      if (!(err instanceof ApiError && err.status === 401)) later(() => void sync(), RETRY_MS);
      return;
    }
    if (stopped || gen !== generation) return;
    const pending = held ?? [];
    held = null;
    store.apply(pending);
    if (socket.connected) store.setConnection("connected");
  };

  store.setConnection("connecting");
  socket.on("connect", () => void sync());
  socket.on("disconnect", (reason) => {
    if (stopped) return;
    held ??= [];
    store.setConnection("reconnecting");
    // The server dropped us on purpose (restart, session revoked): socket.io will not retry by itself.
    if (reason === "io server disconnect") later(() => socket.connect(), RETRY_MS);
  });
  socket.on("connect_error", () => {
    if (stopped) return;
    store.setConnection(store.get().snapshotAt === null ? "connecting" : "reconnecting");
    if (socket.active) return; // transport problem: socket.io retries with backoff
    // Refused by the server's auth middleware: find out whether the session is gone.
    api.me().then(
      () => later(() => socket.connect(), RETRY_MS),
      (err: unknown) => {
        if (!(err instanceof ApiError && err.status === 401)) later(() => socket.connect(), RETRY_MS);
      },
    );
  });

  socket.on("case:created", (value) => push({ type: "case", value }));
  socket.on("case:updated", (value) => push({ type: "case", value }));
  socket.on("responder:updated", (value) => push({ type: "responder", value }));
  socket.on("device:updated", (value) => push({ type: "device", value }));
  socket.on("alert", (value) => push({ type: "alert", value }));
  socket.on("alert:updated", (value) => push({ type: "alert", value }));
  socket.on("offer", (value) => push({ type: "offer", value }));
  socket.on("offer:withdrawn", (value) => push({ type: "offer:withdrawn", value }));
  socket.on("order:updated", (order) => orderEvent({ kind: "updated", order }));
  socket.on("order:reminder", (order) => orderEvent({ kind: "reminder", order }));
  socket.on("coverage:alert", (alert) => coverageAlertEvent(alert));
  // Not a delta of the snapshot: the platform's state applies at once, even while one loads.
  socket.on("platform:health", (value) => store.setPlatform(value));

  let resync: ReturnType<typeof setInterval> | null = null;
  if (audience === "responder") {
    resync = setInterval(() => {
      if (socket.connected && held === null) void sync();
    }, RESPONDER_RESYNC_MS);
  }

  return {
    resync: () => sync(),
    stop() {
      stopped = true;
      if (resync) clearInterval(resync);
      for (const id of timers) clearTimeout(id);
      timers.clear();
      coalescer.clear();
      socket.removeAllListeners();
      socket.disconnect();
      store.setConnection("idle");
    },
  };
}
