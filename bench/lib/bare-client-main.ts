// The floor of the platform's own session: a bare MQTT client subscribed as the dispatcher is
// (events at QoS 1, and with --statuses every status at QoS 0), that answers every device event
// with an ack at once — no validation beyond reading the eventId, no database, no case — and
// reads each status (JSON.parse) and counts it, printing the count when it stops. Run as its own
// process, where the platform's process would be: bare-client.ts.
import mqtt from "mqtt";
import { parseDeviceTopic, topics, type DeviceAck } from "../../protocol/mqtt.ts";
import { SERVICE_PASSWORD, SERVICE_USER } from "./platform.ts";

const [url, ...flags] = process.argv.slice(2);
if (!url) throw new Error("usage: bare-client-main.ts <broker-url> [--statuses]");
const statusesToo = flags.includes("--statuses");
const client = await mqtt.connectAsync(url, {
  username: SERVICE_USER,
  password: SERVICE_PASSWORD,
  clientId: "bench-bare-client",
});
(client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
let statuses = 0;
client.on("message", (topic, payload) => {
  const device = parseDeviceTopic(topic);
  if (device?.kind === "status") {
    JSON.parse(payload.toString());
    statuses++;
    return;
  }
  if (device?.kind !== "events") return;
  const { eventId } = JSON.parse(payload.toString()) as { eventId: string };
  const ack: DeviceAck = { eventId, status: "received", at: new Date().toISOString() };
  client.publish(topics.ack(device.deviceId), JSON.stringify(ack), { qos: 1 });
});
// One SUBSCRIBE per topic, as the platform's link does.
await client.subscribeAsync(topics.allEvents, { qos: 1 });
if (statusesToo) await client.subscribeAsync(topics.allStatus, { qos: 0 });
console.log("bare client ready");
process.on("SIGTERM", () => {
  console.log(JSON.stringify({ msg: "bare client stopped", statuses }));
  void client.endAsync(true).then(() => process.exit(0));
});
