import WebSocket from "ws";
import mqtt from "mqtt";
import pino from "pino";
import { createBroker } from "/work/main/broker/broker.ts";

const b = await createBroker({ port: 0, wsPort: 0, host: "127.0.0.1", serviceUsers: [{ username: "svc", password: "pw" }],
  logger: pino({ level: "silent" }), lookupDevice: () => Promise.resolve(null) });
const url = `ws://127.0.0.1:${b.wsPort}/mqtt`;

const res = await fetch(`http://127.0.0.1:${b.wsPort}/`);
console.log("plain http:", res.status, res.headers.get("upgrade"), JSON.stringify(await res.text()));

const proto = (offer: string[]) => new Promise<string>((resolve) => {
  const ws = new WebSocket(url, offer);
  ws.on("open", () => { resolve(`open proto=${JSON.stringify(ws.protocol)}`); ws.terminate(); });
  ws.on("error", (e) => resolve(`error ${e.message}`));
});
console.log("offer [mqtt]:", await proto(["mqtt"]));
console.log("offer [foo, mqttv3.1]:", await proto(["foo", "mqttv3.1"]));
console.log("offer [foo]:", await proto(["foo"]));
console.log("offer []:", await proto([]));

const c = await mqtt.connectAsync(url, { username: "svc", password: "pw", reconnectPeriod: 0 });
console.log("mqtt.js connected over ws:", c.connected, (c.stream as any).socket?.protocol ?? "");
await c.endAsync();

// One binary message above maxPayload (ws rejects it before 'message').
const one = (data: Buffer, binary: boolean) => new Promise<string>((resolve) => {
  const ws = new WebSocket(url, ["mqtt"]);
  const t0 = Date.now();
  ws.on("open", () => ws.send(data, { binary }));
  ws.on("close", (code) => resolve(`closed code=${code} after ${Date.now() - t0}ms`));
  ws.on("error", () => undefined);
});
const before = b.metrics().oversizedDropped;
console.log("single 100 KiB message:", await one(Buffer.alloc(100 * 1024, 0x30), true), "oversized +", b.metrics().oversizedDropped - before);
// Header only, declaring a 1 MB PUBLISH (frame meter path).
const hdr = Buffer.from([0x30, 0x80, 0x80, 0x40]);
const b2 = b.metrics().oversizedDropped;
console.log("oversized header:", await one(hdr, true), "oversized +", b.metrics().oversizedDropped - b2);
// CONNECT sent as a text frame: treated as bytes.
const connect = Buffer.from([0x10, 0x1a, 0x00, 0x04, ...Buffer.from("MQTT"), 0x04, 0xc2, 0x00, 0x3c, 0x00, 0x02, ...Buffer.from("t1"), 0x00, 0x03, ...Buffer.from("svc"), 0x00, 0x02, ...Buffer.from("pw")]);
const text = await new Promise<string>((resolve) => {
  const ws = new WebSocket(url, ["mqtt"]);
  ws.on("open", () => ws.send(connect.toString("latin1"), { binary: false }));
  ws.on("message", (d: Buffer) => { resolve(`got ${d.toString("hex")}`); ws.terminate(); });
  ws.on("close", (code) => resolve(`closed ${code}`));
});
console.log("CONNECT as text frame:", text, "packetsIn", b.metrics().packetsIn);

const held = new WebSocket(url, ["mqtt"]);
await new Promise((r) => held.on("open", r));
const t = Date.now();
await b.stop();
console.log("stop() with a raw ws attached took", Date.now() - t, "ms; client state", held.readyState);
