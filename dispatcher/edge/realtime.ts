// Socket.IO: staff consoles join the rooms of their community scope (`staff` for every
// community, else one `community:{id}` room each); each responder phone its own room. An event
// about a community goes to `staff` and that community's room only. Clients only listen (every
// action is REST); this is the people half of the Notifier.
// A socket lives no longer than its login session: it is closed at logout, when the session
// expires, and when the user's sessions are ended (disabled, role or communities changed); a
// periodic check catches sessions ended elsewhere (another instance, the database).
import type { Server as HttpServer } from "node:http";
import { Server, type ServerOptions } from "socket.io";
import {
  rooms,
  type ClientToServerEvents,
  type InterServerEvents,
  type PlatformStatus,
  type ServerToClientEvents,
  type SocketData,
} from "../../protocol/index.ts";
import { communityScope } from "../auth/access.ts";
import type { SessionInfo, SessionsEnded } from "../auth/service.ts";
import type { Notifier } from "../notifier.ts";

type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface Realtime {
  notifier: Omit<Notifier, "ackDevice">;
  /**
   * Told when a responder's phone connects or drops (its presence): on this instance, and in a
   * cluster on any other instance too (relayed through the adapter).
   */
  onResponderSocket(listener: (responderId: number, connected: boolean) => void): void;
  /** The responders' live phone sockets on every instance, counted per responder. */
  responderSockets(): Promise<Map<number, number>>;
  /** Tells every staff console the platform's state (the fault banner). */
  platformHealth(status: PlatformStatus): void;
  /** Disconnects every client and stops accepting new ones. */
  close(): Promise<void>;
}

const OPTIONS = { serveClient: false, maxHttpBufferSize: 16_384 } as const;
/** How often every socket's session is looked up again. */
const RECHECK_MS = 60_000;
/** setTimeout's ceiling (~24.8 days); a later expiry is caught by the periodic check. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The staff rooms that hear about a community. */
const staffRooms = (communityId: number) => [rooms.staff, rooms.community(communityId)];
const sessionRoom = (id: string) => `session:${id}`;
const userRoom = (id: number) => `user:${id}`;

export interface SessionSource {
  session(token: string | undefined): Promise<SessionInfo>;
  sessionById(sessionId: string): Promise<SessionInfo | null>;
  onSessionsEnded(listener: (ended: SessionsEnded) => void): void;
}

export function createRealtime(
  http: HttpServer,
  auth: SessionSource,
  platform: { status(): PlatformStatus },
  options: { recheckMs?: number; adapter?: ServerOptions["adapter"] } = {},
): Realtime {
  // In cluster mode the adapter (Redis) carries every emit to the sockets of every instance.
  const io: RealtimeServer = new Server(http, {
    ...OPTIONS,
    ...(options.adapter ? { adapter: options.adapter } : {}),
  });

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    auth
      .session(typeof token === "string" ? token : undefined)
      .then(({ user, sessionId, expiresAt }) => {
        const scope = communityScope(user);
        socket.data = {
          userId: user.id,
          role: user.role,
          responderId: user.responderId,
          communityIds: scope === null ? null : [...scope],
          sessionId,
          expiresAt,
        };
        next();
      })
      .catch((err: Error) => next(new Error(err.message)));
  });

  auth.onSessionsEnded((ended) => {
    if ("sessionId" in ended) io.in(sessionRoom(ended.sessionId)).disconnectSockets(true);
    else if (ended.except === undefined) io.in(userRoom(ended.userId)).disconnectSockets(true);
    else io.in(userRoom(ended.userId)).except(sessionRoom(ended.except)).disconnectSockets(true);
  });
  const recheck = setInterval(() => {
    for (const socket of io.sockets.sockets.values()) {
      auth.sessionById(socket.data.sessionId).then(
        (s) => (s ? undefined : socket.disconnect(true)),
        () => undefined, // storage down: keep the socket, check again next time
      );
    }
  }, options.recheckMs ?? RECHECK_MS);
  recheck.unref();

  let responderSocket: (responderId: number, connected: boolean) => void = () => undefined;
  // Another instance's phone came or went; serverSideEmit never comes back to its sender.
  io.on("responder:socket", (responderId, connected) => responderSocket(responderId, connected));
  const phoneSocket = (responderId: number, connected: boolean) => {
    responderSocket(responderId, connected);
    if (options.adapter) io.serverSideEmit("responder:socket", responderId, connected);
  };
  io.on("connection", (socket) => {
    const { role, responderId, communityIds, sessionId, userId, expiresAt } = socket.data;
    void socket.join([sessionRoom(sessionId), userRoom(userId)]);
    const expiry = setTimeout(
      () => socket.disconnect(true),
      Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - Date.now())),
    );
    expiry.unref();
    socket.once("disconnect", () => clearTimeout(expiry));
    if (role === "responder") {
      if (responderId !== null) {
        void socket.join([rooms.responders, rooms.responder(responderId)]);
        phoneSocket(responderId, true);
        socket.once("disconnect", () => phoneSocket(responderId, false));
      }
    } else if (role === "family") {
      // Their own room only: they hear of their elder's cases, never the staff rooms.
    } else {
      void socket.join([
        rooms.consoles,
        ...(communityIds === null ? [rooms.staff] : communityIds.map(rooms.community)),
      ]);
      socket.emit("platform:health", platform.status());
    }
  });

  const notifier: Omit<Notifier, "ackDevice"> = {
    caseChanged(summary, created) {
      io.to(staffRooms(summary.communityId)).emit(created ? "case:created" : "case:updated", summary);
      if (summary.responderId !== null)
        io.to(rooms.responder(summary.responderId)).emit("case:updated", summary);
    },
    caseReleased(responderId, summary) {
      io.to(rooms.responder(responderId)).emit("case:updated", summary);
    },
    offer(responderId, offer) {
      io.to(rooms.responder(responderId)).emit("offer", offer);
    },
    offerWithdrawn(responderId, w) {
      io.to(rooms.responder(responderId)).emit("offer:withdrawn", w);
    },
    alert(a) {
      io.to(staffRooms(a.communityId)).emit("alert", a);
    },
    alertUpdated(a) {
      io.to(staffRooms(a.communityId)).emit("alert:updated", a);
    },
    responderChanged(r) {
      io.to([...staffRooms(r.communityId), rooms.responder(r.id)]).emit("responder:updated", r);
    },
    deviceChanged(d) {
      io.to(staffRooms(d.communityId)).emit("device:updated", d);
    },
    familyCase(userId, c) {
      io.to(userRoom(userId)).emit("family:case", c);
    },
    orderChanged(o, responderIds) {
      const holder = o.responderId === null ? [] : [o.responderId];
      io.to([...staffRooms(o.communityId), ...[...holder, ...responderIds].map(rooms.responder)]).emit(
        "order:updated",
        o,
      );
    },
    orderReminder(responderId, o) {
      io.to(rooms.responder(responderId)).emit("order:reminder", o);
    },
    coverageAlert(a) {
      io.to(staffRooms(a.communityId)).emit("coverage:alert", a);
    },
  };

  return {
    notifier,
    onResponderSocket(listener) {
      responderSocket = listener;
    },
    async responderSockets() {
      const counts = new Map<number, number>();
      for (const { data } of await io.in(rooms.responders).fetchSockets()) {
        if (data.responderId !== null) counts.set(data.responderId, (counts.get(data.responderId) ?? 0) + 1);
      }
      return counts;
    },
    platformHealth(status) {
      // Each instance tells its own consoles about itself; the others' state is not theirs.
      io.local.to(rooms.consoles).emit("platform:health", status);
    },
    close() {
      clearInterval(recheck);
      io.local.disconnectSockets(true);
      return new Promise((resolve) => void io.close(() => resolve()));
    },
  };
}
