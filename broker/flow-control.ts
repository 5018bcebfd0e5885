// Backpressure from the message router to the devices that publish. aedes acknowledges a QoS 1
// PUBLISH before routing it (lib/handlers/publish.js) and reads every ready socket before it
// routes anything, so a fleet publishing flat out (a heartbeat storm after an outage, say) had
// the broker accept tens of thousands of messages while delivering almost none: each turn of the
// event loop read 2,000 sockets' worth of publishes, and deliveries waited behind them, for
// seconds. Here a device's publish is held at authorization, before aedes acknowledges it, when
// this turn of the event loop has already let `perTurn` publishes in or the router holds more
// than `high` messages; held publishes go on in arrival order in later turns, once the router is
// down to `low`. A held device waits for its PUBACK and sends nothing more; TCP pushes back.
import type { Aedes } from "aedes";
import type { BrokerMetrics } from "./types.ts";

/** mqemitter's counters: messages being delivered now, and waiting for a delivery slot. */
interface Router {
  current: number;
  length: number;
}

export interface FlowLimits {
  /** Publishes let in per turn of the event loop. */
  perTurn: number;
  /** Router backlog (messages) above which publishes are held … */
  high: number;
  /** … and at or below which held ones go on. */
  low: number;
}

export interface FlowControl {
  /** Runs `proceed` now, or once there is room. */
  admit(proceed: () => void): void;
  /** Publishes held right now. */
  readonly held: number;
}

export function createFlowControl(aedes: Aedes, limits: FlowLimits, metrics: BrokerMetrics): FlowControl {
  if (!(limits.perTurn >= 1 && limits.low >= 0 && limits.high > limits.low)) {
    throw new RangeError(`flow limits need perTurn >= 1 and 0 <= low < high`);
  }
  const router = (aedes as unknown as { mq: Router }).mq;
  const backlog = () => router.current + router.length;
  let queue: (() => void)[] = [];
  let head = 0;
  let letIn = 0;
  let turnEnds = false;

  const waiting = () => queue.length - head;
  const endOfTurn = () => {
    if (turnEnds) return;
    turnEnds = true;
    setImmediate(() => {
      turnEnds = false;
      letIn = 0;
      release();
    });
  };

  function release(): void {
    while (waiting() > 0 && letIn < limits.perTurn && backlog() <= limits.low) {
      letIn++;
      const proceed = queue[head++]!;
      proceed();
    }
    if (waiting() === 0) {
      queue = [];
      head = 0;
    } else if (letIn >= limits.perTurn) endOfTurn();
  }

  // 'publish' fires as each routed message completes: the moment the backlog can have shrunk.
  aedes.on("publish", () => {
    if (waiting() > 0) release();
  });

  return {
    admit(proceed) {
      endOfTurn();
      if (waiting() === 0 && letIn < limits.perTurn && backlog() <= limits.high) {
        letIn++;
        return proceed();
      }
      metrics.publishesHeld++;
      queue.push(proceed);
    },
    get held() {
      return waiting();
    },
  };
}
