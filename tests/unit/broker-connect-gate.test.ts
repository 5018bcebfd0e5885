// The connect gate's bookkeeping, with an injected clock: turns in arrival order, a closed
// connection gives its turn back, and a handshake waiting past the limit is refused.
import { EventEmitter } from "node:events";
import type { Client } from "aedes";
import { describe, expect, it } from "vitest";
import { ConnectGate } from "../../broker/connect-gate.ts";

/** Just what the gate touches: the connection, with aedes' back-link to its client. */
function client(): Client & { conn: EventEmitter & { destroyed: boolean } } {
  const conn = Object.assign(new EventEmitter(), { destroyed: false });
  const c = { conn } as unknown as Client & { conn: typeof conn };
  Object.assign(conn, { client: c });
  return c;
}

function close(c: ReturnType<typeof client>): void {
  c.conn.destroyed = true;
  c.conn.emit("close");
}

describe("ConnectGate", () => {
  it("runs handshakes up to the limit and lets the rest in, in arrival order, as turns free up", () => {
    let t = 0;
    const gate = new ConnectGate({ maxInProgress: 2, maxWaitMs: 1000, now: () => t });
    const order: string[] = [];
    const [a, b, c, d] = [client(), client(), client(), client()];
    for (const [name, x] of [
      ["a", a],
      ["b", b],
      ["c", c],
      ["d", d],
    ] as const) {
      gate.enter(
        x,
        () => order.push(name),
        () => order.push(`refused ${name}`),
      );
    }
    expect(order).toEqual(["a", "b"]);
    expect(gate.waiting).toBe(2);
    t = 10;
    gate.leave(a);
    expect(order).toEqual(["a", "b", "c"]);
    close(b); // its connection closed mid-handshake: the turn goes to the next in line
    expect(order).toEqual(["a", "b", "c", "d"]);
    gate.close();
  });

  it("skips one that gave up while waiting and refuses one that waited too long", () => {
    let t = 0;
    const gate = new ConnectGate({ maxInProgress: 1, maxWaitMs: 100, now: () => t });
    const order: string[] = [];
    const [a, b, c] = [client(), client(), client()];
    gate.enter(
      a,
      () => order.push("a"),
      () => order.push("refused a"),
    );
    gate.enter(
      b,
      () => order.push("b"),
      () => order.push("refused b"),
    );
    t = 50;
    gate.enter(
      c,
      () => order.push("c"),
      () => order.push("refused c"),
    );
    b.conn.destroyed = true; // gone before its turn came
    t = 160; // c has waited 110 ms
    gate.leave(a);
    expect(order).toEqual(["a", "refused c"]);
    expect(gate.refused).toBe(1);
    expect(gate.waiting).toBe(0);
    gate.close();
  });
});
