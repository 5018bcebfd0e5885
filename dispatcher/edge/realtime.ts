// Socket.IO: staff consoles join the `staff` room; each responder phone its own room.
// Clients only listen (every action is REST); this is the people half of the Notifier.
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import {
  rooms,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from "../../protocol/index.ts";
import type { Notifier } from "../notifier.ts";
import type { Authenticator } from "./http.ts";

type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface Realtime {
  notifier: Omit<Notifier, "ackDevice">;
  /** Disconnects every client and stops accepting new ones. */
  close(): Promise<void>;
}

const OPTIONS = { serveClient: false, maxHttpBufferSize: 16_384 } as const;

export function createRealtime(http: HttpServer, auth: Authenticator): Realtime {
  const io: RealtimeServer = new Server(http, OPTIONS);

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    auth
      .authenticate(typeof token === "string" ? token : undefined)
      .then((user) => {
        socket.data = { userId: user.id, role: user.role, responderId: user.responderId };
        next();
      })
      .catch((err: Error) => next(new Error(err.message)));
  });

  io.on("connection", (socket) => {
    const { role, responderId } = socket.data;
    if (role === "responder" && responderId !== null) void socket.join(rooms.responder(responderId));
    else void socket.join(rooms.staff);
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
    close() {
      io.disconnectSockets(true);
      return new Promise((resolve) => void io.close(() => resolve()));
    },
  };
}
