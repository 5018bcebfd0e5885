// The floor of the alarm path: a bare MQTT client that answers every device event with an ack
// at once — no validation beyond reading the eventId, no database, no case. Run as its own
// process by the end-to-end benchmark: `node --import tsx bench/lib/acker-main.ts <broker-url>`.
import mqtt from "mqtt";
import { parseDeviceTopic, topics, type DeviceAck } from "../../protocol/mqtt.ts";
import { SERVICE_PASSWORD, SERVICE_USER } from "./platform.ts";

const url = process.argv[2];
if (!url) throw new Error("usage: acker-main.ts <broker-url>");
const client = await mqtt.connectAsync(url, {
  username: SERVICE_USER,
  password: SERVICE_PASSWORD,
  clientId: "bench-minimal-acker",
});
(client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
client.on("message", (topic, payload) => {
  const device = parseDeviceTopic(topic);
  if (device?.kind !== "events") return;
  const { eventId } = JSON.parse(payload.toString()) as { eventId: string };
  const ack: DeviceAck = { eventId, status: "received", at: new Date().toISOString() };
  client.publish(topics.ack(device.deviceId), JSON.stringify(ack), { qos: 1 });
});
await client.subscribeAsync(topics.allEvents, { qos: 1 });
console.log("acker ready");
process.on("SIGTERM", () => void client.endAsync(true).then(() => process.exit(0)));
