// Backpressure from the message router to the devices that publish. aedes acknowledges a QoS 1
// PUBLISH before routing it (lib/handlers/publish.js) and reads a client's next packet as soon
// as data arrives, so a fleet that publishes faster than the subscribers take messages (a
// heartbeat storm after an outage, say) grows the router's queue without bound: memory, and the
// latency of every message behind it, including alarms. Here a device whose publish finds the
// router over `high` messages is paused — aedes stops reading its socket, TCP pushes back, and
// its next publish waits on the device — until the router is back under `low`.
import type { Aedes, Client } from "aedes";
import type { BrokerMetrics } from "./types.ts";

/** aedes' Client has pause()/resume() (lib/client.js) without declaring them. */
interface Pausable {
  pause(): void;
  resume(): void;
}

/** mqemitter's counters: messages being delivered now, and waiting for a delivery slot. */
interface Router {
  current: number;
  length: number;
}

export interface FlowControl {
  /** Called for every publish a device sends, before it is routed. */
  admit(client: Client): void;
  /** Devices paused right now. */
  readonly paused: number;
}

export function createFlowControl(
  aedes: Aedes,
  limits: { high: number; low: number },
  metrics: BrokerMetrics,
): FlowControl {
  if (!(limits.low >= 0 && limits.high > limits.low)) {
    throw new RangeError(`flow limits need 0 <= low < high, got ${limits.low} / ${limits.high}`);
  }
  const router = (aedes as unknown as { mq: Router }).mq;
  const held = new Set<Client>();
  const backlog = () => router.current + router.length;

  // 'publish' fires as each routed message completes: the moment the backlog can have shrunk.
  aedes.on("publish", () => {
    if (held.size === 0 || backlog() > limits.low) return;
    const clients = [...held];
    held.clear();
    for (const c of clients) (c as unknown as Pausable).resume();
  });
  aedes.on("clientDisconnect", (client) => held.delete(client));

  return {
    admit(client) {
      if (backlog() <= limits.high || held.has(client)) return;
      metrics.publisherPauses++;
      held.add(client);
      (client as unknown as Pausable).pause();
    },
    get paused() {
      return held.size;
    },
  };
}
