// Socket.IO: staff consoles join the rooms of their community scope (`staff` for every
// community, else one `community:{id}` room each); each responder phone its own room. An event
// about a community goes to `staff` and that community's room only. Clients only listen (every
// action is REST); this is the people half of the Notifier.
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import {
  rooms,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from "../../protocol/index.ts";
import { communityScope } from "../auth/access.ts";
import type { Notifier } from "../notifier.ts";
import type { Authenticator } from "./http.ts";

type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface Realtime {
  notifier: Omit<Notifier, "ackDevice">;
  /** Ends the user's open sockets (an account changed: a client that reconnects gets its new rooms). */
  disconnectUser(userId: number): void;
  /** Disconnects every client and stops accepting new ones. */
  close(): Promise<void>;
}

const OPTIONS = { serveClient: false, maxHttpBufferSize: 16_384 } as const;

/** The staff rooms that hear about a community. */
const staffRooms = (communityId: number) => [rooms.staff, rooms.community(communityId)];

export function createRealtime(http: HttpServer, auth: Authenticator): Realtime {
  const io: RealtimeServer = new Server(http, OPTIONS);

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    auth
      .authenticate(typeof token === "string" ? token : undefined)
      .then((user) => {
        const scope = communityScope(user);
        socket.data = {
          userId: user.id,
          role: user.role,
          responderId: user.responderId,
          communityIds: scope === null ? null : [...scope],
        };
        next();
      })
      .catch((err: Error) => next(new Error(err.message)));
  });

  io.on("connection", (socket) => {
    const { role, responderId, communityIds } = socket.data;
    if (role === "responder") {
      if (responderId !== null) void socket.join(rooms.responder(responderId));
    } else if (communityIds === null) void socket.join(rooms.staff);
    else void socket.join(communityIds.map(rooms.community));
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
    responderChanged(r) {
      io.to([...staffRooms(r.communityId), rooms.responder(r.id)]).emit("responder:updated", r);
    },
    deviceChanged(d) {
      io.to(staffRooms(d.communityId)).emit("device:updated", d);
    },
  };

  return {
    notifier,
    disconnectUser(userId) {
      for (const socket of io.of("/").sockets.values()) {
        if (socket.data.userId === userId) socket.disconnect(true);
      }
    },
    close() {
      io.disconnectSockets(true);
      return new Promise((resolve) => void io.close(() => resolve()));
    },
  };
}
