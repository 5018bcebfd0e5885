// A dispatcher's console, as far as timing goes: a Socket.IO client logged in as the demo
// `dispatcher`, noting when each device's case:created arrives.
import { connectSocket, login, type ClientSocket } from "../../tests/helpers/app.ts";
import { now } from "./fleet-protocol.ts";
import { STAFF_PASSWORD } from "./platform.ts";

export class ConsoleProbe {
  /** Arrival time of the first case:created per device. */
  readonly createdAt = new Map<string, number>();

  private constructor(private readonly socket: ClientSocket) {
    socket.on("case:created", (c) => {
      if (c.deviceId && !this.createdAt.has(c.deviceId)) this.createdAt.set(c.deviceId, now());
    });
  }

  static async connect(httpUrl: string): Promise<ConsoleProbe> {
    const { token } = await login(httpUrl, "dispatcher", STAFF_PASSWORD);
    return new ConsoleProbe(await connectSocket(httpUrl, token));
  }

  close(): void {
    this.socket.close();
  }
}
