// A subscriber standing where the dispatcher stands: the platform's service account, QoS 1, on
// every device's status topic. It times each status from the device's own `at` stamp (same
// machine, same clock) to its arrival.
import mqtt, { type MqttClient } from "mqtt";
import { topics } from "../../protocol/mqtt.ts";
import { now } from "./fleet-protocol.ts";
import { SERVICE_PASSWORD, SERVICE_USER } from "./platform.ts";

export class StatusProbe {
  /** Arrival time and latency (ms) of every status received. */
  readonly arrivals: { at: number; latencyMs: number }[] = [];

  private constructor(private readonly client: MqttClient) {
    client.on("message", (_topic, payload) => {
      const at = now();
      const sent = Date.parse((JSON.parse(payload.toString()) as { at?: string }).at ?? "");
      this.arrivals.push({ at, latencyMs: Number.isNaN(sent) ? NaN : at - sent });
    });
  }

  static async connect(url: string): Promise<StatusProbe> {
    const client = await mqtt.connectAsync(url, {
      username: SERVICE_USER,
      password: SERVICE_PASSWORD,
      clientId: "bench-status-probe",
      clean: true,
      reconnectPeriod: 0,
    });
    (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    await client.subscribeAsync(topics.allStatus, { qos: 1 });
    return new StatusProbe(client);
  }

  get count(): number {
    return this.arrivals.length;
  }

  between(from: number, to: number): { at: number; latencyMs: number }[] {
    return this.arrivals.filter((a) => a.at >= from && a.at < to);
  }

  close(): Promise<void> {
    return this.client.endAsync(true);
  }
}
