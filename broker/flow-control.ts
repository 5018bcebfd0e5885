// Backpressure from the message router to the devices that publish. aedes acknowledges a QoS 1
// PUBLISH before routing it (lib/handlers/publish.js) and reads a client's next packet as soon as
// data arrives, so a fleet that publishes faster than the subscribers take messages (a heartbeat
// storm after an outage, say) grows the router's backlog without bound — memory, and the wait of
// every message behind it, alarms included — while deliveries get an ever smaller share of the
// event loop. Here a device's publish that finds more than `high` messages in the router is held
// at authorization, before aedes acknowledges it: the device, waiting for its PUBACK, sends
// nothing more, and TCP pushes back on the rest. Held publishes go on, in arrival order, once the
// router is down to `low`.
import type { Aedes } from "aedes";
import type { BrokerMetrics } from "./types.ts";

/** mqemitter's counters: messages being delivered now, and waiting for a delivery slot. */
interface Router {
  current: number;
  length: number;
}

export interface FlowControl {
  /** Runs `proceed` now, or once the router has room. */
  admit(proceed: () => void): void;
  /** Publishes held right now. */
  readonly held: number;
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
  let held: (() => void)[] = [];
  const backlog = () => router.current + router.length;

  // 'publish' fires as each routed message completes: the moment the backlog can have shrunk.
  aedes.on("publish", () => {
    if (held.length === 0 || backlog() > limits.low) return;
    const go = held;
    held = [];
    for (const proceed of go) proceed();
  });

  return {
    admit(proceed) {
      if (held.length === 0 && backlog() <= limits.high) return proceed();
      metrics.publishesHeld++;
      held.push(proceed);
    },
    get held() {
      return held.length;
    },
  };
}
