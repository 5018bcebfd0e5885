// The floor for press → ack: a bare MQTT client that acknowledges every press at once, with no
// database and no engine, behind the same broker code. Run by bench/alarm-path.bench.ts as its own
// process: MQTT_URL, MQTT_USER, MQTT_PASSWORD.
import mqtt from "mqtt";
import { topics } from "../../protocol/mqtt.ts";

const client = await mqtt.connectAsync(process.env.MQTT_URL!, {
  clientId: process.env.MQTT_USER!,
  username: process.env.MQTT_USER!,
  password: process.env.MQTT_PASSWORD!,
  reconnectPeriod: 0,
});
client.on("message", (topic, payload) => {
  const deviceId = topic.split("/")[3];
  let eventId: unknown;
  try {
    eventId = (JSON.parse(payload.toString()) as { eventId?: unknown }).eventId;
  } catch {
    return;
  }
  if (!deviceId || typeof eventId !== "string") return;
  const ack = { eventId, status: "received", at: new Date().toISOString() };
  client.publish(topics.ack(deviceId), JSON.stringify(ack), { qos: 1 });
});
await client.subscribeAsync(topics.allEvents, { qos: 1 });
console.log("acker ready");
process.on("SIGTERM", () => void client.endAsync().then(() => process.exit(0)));
