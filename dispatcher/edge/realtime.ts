// Socket.IO: staff consoles join the `staff` room; each responder phone its own room.
// Clients only listen (every action is REST); this is the people half of the Notifier.
// A socket lives no longer than its login session: it is closed at logout, when the session
// expires, and when the user's sessions are ended (disabled); a periodic check catches sessions
// ended elsewhere (another instance, the database).
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import {
  rooms,
  type ClientToServerEvents,
  type InterServerEvents,
  type PlatformStatus,
  type ServerToClientEvents,
  type SocketData,
} from "../../protocol/index.ts";
import type { SessionInfo, SessionsEnded } from "../auth/service.ts";
import type { Notifier } from "../notifier.ts";

type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface Realtime {
  notifier: Omit<Notifier, "ackDevice">;
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
  options: { recheckMs?: number } = {},
): Realtime {
  const io: RealtimeServer = new Server(http, OPTIONS);

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    auth
      .session(typeof token === "string" ? token : undefined)
      .then(({ user, sessionId, expiresAt }) => {
        socket.data = {
          userId: user.id,
          role: user.role,
          responderId: user.responderId,
          sessionId,
          expiresAt,
        };
        next();
      })
      .catch((err: Error) => next(new Error(err.message)));
  });

  auth.onSessionsEnded((ended) => {
    const room = "sessionId" in ended ? sessionRoom(ended.sessionId) : userRoom(ended.userId);
    io.in(room).disconnectSockets(true);
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

  io.on("connection", (socket) => {
    const { role, responderId, sessionId, userId, expiresAt } = socket.data;
    void socket.join([sessionRoom(sessionId), userRoom(userId)]);
    const expiry = setTimeout(
      () => socket.disconnect(true),
      Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - Date.now())),
    );
    expiry.unref();
    socket.once("disconnect", () => clearTimeout(expiry));
    if (role === "responder" && responderId !== null) void socket.join(rooms.responder(responderId));
    else {
      void socket.join(rooms.staff);
      socket.emit("platform:health", platform.status());
    }
  });

  const notifier: Omit<Notifier, "ackDevice"> = {
    caseChanged(summary, created) {
      io.to(rooms.staff).emit(created ? "case:created" : "case:updated", summary);
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
      io.to(rooms.staff).emit("alert", a);
    },
    alertUpdated(a) {
      io.to(rooms.staff).emit("alert:updated", a);
    },
    responderChanged(r) {
      io.to(rooms.staff).to(rooms.responder(r.id)).emit("responder:updated", r);
    },
    deviceChanged(d) {
      io.to(rooms.staff).emit("device:updated", d);
    },
  };

  return {
    notifier,
    platformHealth(status) {
      io.to(rooms.staff).emit("platform:health", status);
    },
    close() {
      clearInterval(recheck);
      io.disconnectSockets(true);
      return new Promise((resolve) => void io.close(() => resolve()));
    },
  };
}
